/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - the check renderers (text, JSON, SARIF) on hand-built
 * findings: a DC006 root with two consequences and a DC013 information
 * finding, on a platform naming one device.  Engine indexes are translated
 * to file indexes by a map that is not the identity, so the tests see that
 * every event reference goes through it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "cli.h"
#include "coh_sim.h"
#include "report.h"

#define TS_ROOT 10904137999ull       /* ns: reports print 10.904138, rounded as trace-cmd does */

struct fixture {
	struct coh_platform plat;
	struct coh_finding f[4];
	const struct coh_finding *fp[4];
	const char *warnings[1];
	struct report_file rf;
};

/* engine index -> file index: seq * 10 + 7 */
static uint64_t src_of(void *ctx, uint64_t seq)
{
	(void)ctx;
	return seq * 10 + 7;
}

static void base_finding(struct coh_finding *f, unsigned id, unsigned rule, int64_t parent)
{
	memset(f, 0, sizeof(*f));
	f->id = (uint16_t)id;
	f->rule = (uint16_t)rule;
	f->parent = parent;
	f->seq = 1;
	f->src = 13;
	f->ts = TS_ROOT;
	f->dev = 0;
	f->cpu = 0;
	f->addr = 0x2cf0800;
	f->len = 64;
	f->bus = 0x3a700800;
	f->other_seq = 3;
	f->other_src = 37;                   /* src_of(3) */
	f->omitted = COH_EV_DMA_SYNC_CPU;
}

static void fill_evidence(struct coh_finding *f)
{
	static const uint8_t seen[4] = { 0x01, 0x02, 0xab, 0xff };

	f->nbytes = 4;
	f->ev_addr = 0x2cf0800;
	memcpy(f->seen, seen, 4);
	memset(f->expected, 0x5a, 4);
	for (int i = 0; i < 4; i++) {
		f->seen_ver[i] = i == 2 ? 0 : 3;     /* engine event 2 wrote it, or never */
		f->exp_ver[i] = 4;                   /* engine event 3 */
	}
	f->seen_src = 27;                    /* src_of(2) */
	f->exp_src = 37;                     /* src_of(3) */
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(coh_platform_preset("arm-noncoherent", &fx->plat), 0);
	assert_int_equal(coh_platform_add_dev(&fx->plat, "dmabug"), 0);
	base_finding(&fx->f[0], COH_DC006, COH_R_CPU_READ_DEV_OWNED, -1);
	fill_evidence(&fx->f[0]);
	base_finding(&fx->f[1], COH_DC001, COH_R_STALE_CPU, 0);
	fx->f[1].flags = COH_FF_INFERRED;
	fill_evidence(&fx->f[1]);
	base_finding(&fx->f[2], COH_DC013, COH_R_REDUNDANT_REPEAT, -1);
	fx->f[2].flags = COH_FF_INFO;
	fx->f[2].src = COH_SRC_NONE;         /* derived from seq through src_of */
	fx->f[2].seq = 9;
	fx->f[2].ts = 11000000000ull;
	fx->f[2].dev = -1;
	fx->f[2].cpu = -1;
	fx->f[2].bus = COH_ADDR_NONE;
	fx->f[2].other_seq = COH_SEQ_NONE;
	fx->f[2].other_src = COH_SRC_NONE;
	fx->f[2].omitted = COH_EV_NONE;
	base_finding(&fx->f[3], COH_DC002, COH_R_STALE_DEV, 0);
	fx->f[3].src = 20;
	fx->f[3].ts = TS_ROOT + 5000;
	for (int i = 0; i < 4; i++)
		fx->fp[i] = &fx->f[i];
	fx->warnings[0] = "sync calls may be invisible";
	fx->rf = (struct report_file){
		.path = "buggy/my trace.dat", .format = "ftrace", .plat = &fx->plat,
		.events = 258, .nwarnings = 1, .warnings = fx->warnings, .stale_reads = 2,
		.nfindings = 4, .findings = fx->fp, .src_of = src_of,
	};
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Render @files through @ops into a malloc'd string. */
static char *render(const struct report_sink_ops *ops, const struct report_file *files,
		    size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	void *st;

	assert_non_null(out);
	st = ops->open(out);
	assert_non_null(st);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ops->add(st, &files[i]), 0);
	assert_int_equal(ops->close(st), 0);
	fclose(out);
	return buf;
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (!j)
		fail_msg("output is not JSON: line %d: %s", err.line, err.text);
	return j;
}

/* collapse every run of white space to one space */
static char *squash(const char *s)
{
	char *out = malloc(strlen(s) + 1), *q = out;

	assert_non_null(out);
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t') {
			if (q > out && q[-1] != ' ')
				*q++ = ' ';
		} else {
			*q++ = *s;
		}
	}
	*q = 0;
	return out;
}

static char *explanation(const struct fixture *fx, const struct coh_finding *f)
{
	struct coh_finding g = *f;   /* reports name the call in the message instead */
	int n;
	char *buf;

	g.omitted = COH_EV_NONE;
	n = coh_finding_explain(&g, &fx->plat, NULL, 0);
	assert_true(n >= 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	coh_finding_explain(&g, &fx->plat, buf, (size_t)n + 1);
	return buf;
}

/* ---- shared pieces ------------------------------------------------------- */

static void test_status(void **state)
{
	struct fixture *fx = *state;
	struct report_file rf = fx->rf;

	assert_int_equal(report_status(&rf), 1);
	rf.findings = &fx->fp[2];            /* only the DC013 information finding */
	rf.nfindings = 1;
	assert_int_equal(report_status(&rf), 0);
	fx->f[0].flags |= COH_FF_INFO;       /* an error id marked information */
	rf.findings = &fx->fp[0];
	assert_int_equal(report_status(&rf), 0);
	rf.error = "x: offset 0: empty file";
	assert_int_equal(report_status(&rf), 2);
}

static void test_parent(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(report_parent(&fx->rf, 0), -1);
	assert_int_equal(report_parent(&fx->rf, 1), 0);
	assert_int_equal(report_parent(&fx->rf, 3), 0);
	fx->f[1].parent = 1;                 /* itself */
	assert_int_equal(report_parent(&fx->rf, 1), -1);
	fx->f[1].parent = 99;                /* out of range */
	assert_int_equal(report_parent(&fx->rf, 1), -1);
	fx->f[0].parent = 3;                 /* 0 <-> 3: a cycle, both listed as roots */
	assert_int_equal(report_parent(&fx->rf, 0), -1);
	assert_int_equal(report_parent(&fx->rf, 3), -1);
}

static void test_ts_and_lookup(void **state)
{
	char buf[32];

	(void)state;
	/* reports and stat print what trace-cmd prints: rounded to the microsecond */
	assert_string_equal(report_ts(buf, sizeof(buf), 499), "0.000000");
	assert_string_equal(report_ts(buf, sizeof(buf), 3000001000ull), "3.000001");
	assert_true(report_ts_seconds(TS_ROOT) == 10.904138);
	assert_string_equal(report_ts(buf, sizeof(buf), TS_ROOT), "10.904138");
	assert_string_equal(report_ts(buf, sizeof(buf), 10904137499ull), "10.904137");
	assert_string_equal(report_ts(buf, sizeof(buf), 9999999500ull), "10.000000");
	assert_int_equal(report_ts_us(1500), 2);
	assert_ptr_equal(report_sink_lookup("text"), &report_text_ops);
	assert_ptr_equal(report_sink_lookup("json"), &report_json_ops);
	assert_ptr_equal(report_sink_lookup("sarif"), &report_sarif_ops);
	assert_null(report_sink_lookup("xml"));
	assert_string_equal(trace_default_platform(TRACE_FMT_FTRACE), "arm-noncoherent");
	assert_string_equal(trace_default_platform(TRACE_FMT_ETW_CSV), "nt-busmaster");
	assert_string_equal(trace_default_platform(TRACE_FMT_ETW_XML), "nt-busmaster");
	assert_string_equal(trace_default_platform(TRACE_FMT_DMT), "arm-noncoherent");
	assert_int_equal(cli_parse_infer("auto"), TRACE_INFER_AUTO);
	assert_int_equal(cli_parse_infer("never"), TRACE_INFER_NEVER);
	assert_int_equal(cli_parse_infer("always"), TRACE_INFER_ALWAYS);
	assert_int_equal(cli_parse_infer("sometimes"), -1);
}

static void test_message(void **state)
{
	struct fixture *fx = *state;
	char msg[512];
	int n = report_message(&fx->rf, &fx->f[0], NULL, msg, sizeof(msg));

	assert_int_equal(n, (int)strlen(msg));
	assert_non_null(strstr(msg, coh_rule_text(COH_R_CPU_READ_DEV_OWNED)));
	assert_non_null(strstr(msg, "64 bytes at 0x2cf0800"));
	assert_non_null(strstr(msg, "dmabug"));
	/* the kernel's function, not the engine's kind name */
	assert_non_null(strstr(msg, "call omitted or misplaced: dma_sync_single_for_cpu"));
	assert_null(strstr(msg, "dma_sync_for_cpu"));
	assert_null(strchr(msg, '\n'));
	/* truncation still reports the whole length */
	assert_int_equal(report_message(&fx->rf, &fx->f[0], NULL, msg, 8), n);
	assert_int_equal(strlen(msg), 7);
}

/* ---- text ----------------------------------------------------------------- */

/* the column @p is at in @text */
static long column(const char *text, const char *p)
{
	const char *q = p;

	while (q > text && q[-1] != '\n')
		q--;
	return (long)(p - q);
}

static void test_text(void **state)
{
	struct fixture *fx = *state;
	char *out = render(&report_text_ops, &fx->rf, 1);
	char *flat = squash(out), *why = explanation(fx, &fx->f[0]), *fwhy = squash(why);
	const char *root = strstr(out, "event 13 at 10.904138  dmabug  DC006 ownership-violation");
	const char *c1 = strstr(out, "consequence: event 13 at 10.904138  dmabug  DC001");
	const char *c2 = strstr(out, "consequence: event 20 at 10.904143  dmabug  DC002");
	const char *info = strstr(out, "event 97 at 11.000000  -  DC013 redundant-maintenance");

	assert_non_null(root);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_non_null(info);
	assert_true(root < c1 && c1 < c2 && c2 < info);
	/* consequences sit deeper than their root, the information finding is a root */
	assert_true(column(out, c1) > column(out, root));
	assert_int_equal(column(out, c2), column(out, c1));
	assert_int_equal(column(out, info), column(out, root));
	assert_non_null(strstr(c1, "(inferred)"));
	assert_true(strstr(c1, "(inferred)") < c2);
	assert_non_null(strstr(flat, fwhy));
	assert_non_null(strstr(out, "buggy/my trace.dat: ftrace, 258 events replayed, platform "
			       "arm-noncoherent"));
	assert_non_null(strstr(flat, "summary: 4 findings (2 root causes, 2 entries listed)"));
	assert_non_null(strstr(flat, "DC006 ownership-violation 1"));
	assert_non_null(strstr(flat, "DC013 redundant-maintenance 1"));
	assert_non_null(strstr(flat, "stale reads predicted: 2"));
	assert_non_null(strstr(flat, "warnings: sync calls may be invisible"));
	free(fwhy);
	free(why);
	free(flat);
	free(out);
}

/* ---- JSON ----------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return json_string_value(v);
}

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	return json_integer_value(v);
}

static void check_json_root(const struct fixture *fx, json_t *f)
{
	json_t *ev = json_object_get(f, "evidence");
	char *why = explanation(fx, &fx->f[0]);

	assert_string_equal(jstr(f, "id"), "DC006");
	assert_string_equal(jstr(f, "name"), "ownership-violation");
	assert_string_equal(jstr(f, "rule"), coh_rule_text(COH_R_CPU_READ_DEV_OWNED));
	assert_string_equal(jstr(f, "severity"), "error");
	assert_int_equal(jint(f, "event"), 13);
	assert_true(json_real_value(json_object_get(f, "ts")) == 10.904138);
	assert_string_equal(jstr(f, "device"), "dmabug");
	assert_int_equal(jint(f, "cpu"), 0);
	assert_string_equal(jstr(f, "addr"), "0x2cf0800");
	assert_int_equal(jint(f, "len"), 64);
	assert_string_equal(jstr(f, "bus"), "0x3a700800");
	assert_true(json_is_false(json_object_get(f, "inferred")));
	assert_true(json_is_false(json_object_get(f, "strict")));
	assert_null(strchr(jstr(f, "message"), '\n'));
	assert_non_null(strstr(jstr(f, "message"), "0x2cf0800"));
	assert_string_equal(jstr(f, "explanation"), why);
	assert_string_equal(jstr(f, "omitted"), "dma_sync_single_for_cpu");
	assert_string_equal(jstr(f, "omitted_kind"), "dma_sync_for_cpu");
	assert_int_equal(jint(f, "related_event"), 37);        /* src_of(3) */
	assert_string_equal(jstr(ev, "addr"), "0x2cf0800");
	assert_int_equal(jint(ev, "bytes"), 4);
	assert_string_equal(jstr(ev, "seen"), "0102abff");
	assert_string_equal(jstr(ev, "expected"), "5a5a5a5a");
	/* version 3 = engine event 2 = file event 27; version 0 = never written */
	assert_int_equal(json_integer_value(json_array_get(json_object_get(ev, "seen_events"), 0)),
			 27);
	assert_true(json_is_null(json_array_get(json_object_get(ev, "seen_events"), 2)));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(ev, "expected_events"),
							   3)), 37);
	free(why);
}

static void check_json_consequences(json_t *root)
{
	json_t *cons = json_object_get(root, "consequences");
	json_t *c0 = json_array_get(cons, 0), *c1 = json_array_get(cons, 1);

	assert_int_equal(json_array_size(cons), 2);
	assert_string_equal(jstr(c0, "id"), "DC001");
	assert_true(json_is_true(json_object_get(c0, "inferred")));
	assert_int_equal(jint(c0, "event"), 13);
	assert_int_equal(json_array_size(json_object_get(c0, "consequences")), 0);
	assert_string_equal(jstr(c1, "id"), "DC002");
	assert_int_equal(jint(c1, "event"), 20);
	assert_true(json_real_value(json_object_get(c1, "ts")) == 10.904143);
}

static void check_json_info(json_t *f)
{
	assert_string_equal(jstr(f, "id"), "DC013");
	assert_string_equal(jstr(f, "severity"), "info");
	assert_int_equal(jint(f, "event"), 97);                 /* src_of(9) */
	assert_true(json_is_null(json_object_get(f, "device")));
	assert_true(json_is_null(json_object_get(f, "cpu")));
	assert_true(json_is_null(json_object_get(f, "bus")));
	assert_true(json_is_null(json_object_get(f, "omitted")));
	assert_true(json_is_null(json_object_get(f, "related_event")));
	assert_true(json_is_null(json_object_get(f, "evidence")));
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	struct report_file files[2] = { fx->rf, { .path = "gone.dat", .error = "gone.dat: nope" } };
	char *out = render(&report_json_ops, files, 1);
	json_t *doc = parse(out), *f = json_array_get(json_object_get(doc, "files"), 0);
	json_t *list = json_object_get(f, "findings"), *counts = json_object_get(f, "counts");

	assert_non_null(strstr(out, "10.904138,"));             /* no float noise */
	assert_string_equal(jstr(doc, "dmascope"), DMASCOPE_VERSION);
	assert_int_equal(jint(doc, "status"), 1);
	assert_string_equal(jstr(f, "file"), "buggy/my trace.dat");
	assert_string_equal(jstr(f, "format"), "ftrace");
	assert_string_equal(jstr(json_object_get(f, "platform"), "name"), "arm-noncoherent");
	assert_int_equal(jint(json_object_get(f, "platform"), "granule"), 128);
	assert_string_equal(jstr(json_array_get(json_object_get(json_object_get(f, "platform"),
								  "devices"), 0), "name"), "dmabug");
	assert_int_equal(jint(f, "events"), 258);
	assert_int_equal(jint(f, "stale_reads"), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "warnings"), 0)),
			    "sync calls may be invisible");
	assert_int_equal(jint(counts, "DC006"), 1);
	assert_int_equal(jint(counts, "DC013"), 1);
	assert_int_equal(json_array_size(list), 2);             /* two roots */
	check_json_root(fx, json_array_get(list, 0));
	check_json_consequences(json_array_get(list, 0));
	check_json_info(json_array_get(list, 1));
	json_decref(doc);
	free(out);

	out = render(&report_json_ops, files, 2);
	doc = parse(out);
	f = json_array_get(json_object_get(doc, "files"), 1);
	assert_int_equal(jint(doc, "status"), 2);
	assert_string_equal(jstr(f, "error"), "gone.dat: nope");
	assert_int_equal(jint(f, "status"), 2);
	json_decref(doc);
	free(out);
}

/* ---- SARIF ---------------------------------------------------------------- */

static void check_sarif_rules(json_t *driver)
{
	json_t *rules = json_object_get(driver, "rules");
	char id[16];

	assert_string_equal(jstr(driver, "name"), "dmascope");
	assert_string_equal(jstr(driver, "version"), DMASCOPE_VERSION);
	assert_non_null(strchr(jstr(driver, "informationUri"), ':'));
	assert_true(json_array_size(rules) >= 13);
	for (int i = 0; i < 13; i++) {
		json_t *r = json_array_get(rules, (size_t)i);

		snprintf(id, sizeof(id), "DC%03d", i + 1);
		assert_string_equal(jstr(r, "id"), id);
		assert_string_equal(jstr(r, "name"), coh_fid_name(COH_DC001 + (unsigned)i));
		assert_true(strlen(jstr(json_object_get(r, "shortDescription"), "text")) > 0);
		assert_true(strlen(jstr(json_object_get(r, "fullDescription"), "text")) > 0);
		assert_string_equal(jstr(json_object_get(r, "defaultConfiguration"), "level"),
				    i < 12 ? "error" : "note");
	}
}

static void check_sarif_result(json_t *rules, json_t *res, const char *rule, const char *level)
{
	json_t *loc = json_object_get(json_object_get(json_array_get(
		json_object_get(res, "locations"), 0), "physicalLocation"), "artifactLocation");

	assert_string_equal(jstr(res, "ruleId"), rule);
	assert_string_equal(jstr(json_array_get(rules, (size_t)jint(res, "ruleIndex")), "id"),
			    rule);
	assert_string_equal(jstr(res, "level"), level);
	assert_true(strlen(jstr(json_object_get(res, "message"), "text")) > 0);
	assert_string_equal(jstr(loc, "uri"), "buggy/my%20trace.dat");
	assert_string_equal(jstr(loc, "uriBaseId"), "CWD");
}

static void test_sarif(void **state)
{
	struct fixture *fx = *state;
	struct report_file files[2] = { fx->rf, { .path = "/x/gone.dat", .error = "gone" } };
	char *out = render(&report_sarif_ops, files, 2);
	json_t *doc = parse(out), *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	json_t *rules = json_object_get(driver, "rules"), *res = json_object_get(run, "results");
	json_t *props = json_object_get(json_array_get(res, 0), "properties");
	json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);

	assert_string_equal(jstr(doc, "version"), "2.1.0");
	assert_non_null(strstr(jstr(doc, "$schema"), "sarif-schema-2.1.0.json"));
	check_sarif_rules(driver);
	assert_int_equal(json_array_size(res), 4);              /* every finding */
	check_sarif_result(rules, json_array_get(res, 0), "DC006", "error");
	check_sarif_result(rules, json_array_get(res, 1), "DC001", "error");
	check_sarif_result(rules, json_array_get(res, 2), "DC013", "note");
	assert_int_equal(jint(props, "event"), 13);
	assert_true(json_real_value(json_object_get(props, "ts")) == 10.904138);
	assert_string_equal(jstr(props, "device"), "dmabug");
	assert_string_equal(jstr(props, "addr"), "0x2cf0800");
	assert_int_equal(jint(props, "len"), 64);
	assert_true(json_is_false(json_object_get(props, "inferred")));
	assert_null(json_object_get(props, "consequenceOf"));
	assert_int_equal(jint(json_object_get(json_array_get(res, 3), "properties"),
			      "consequenceOf"), 0);
	assert_string_equal(jstr(json_object_get(json_array_get(json_object_get(run, "artifacts"),
								 1), "location"), "uri"),
			    "file:///x/gone.dat");
	assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
	assert_string_equal(jstr(json_object_get(json_array_get(json_object_get(
		inv, "toolExecutionNotifications"), 1), "message"), "text"), "gone");
	json_decref(doc);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
