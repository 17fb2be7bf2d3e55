/* SPDX-License-Identifier: MIT */
/*
 * etw_xml.c - the <Event> elements of a Windows event XML stream (expat),
 * each turned into an engine event when it is Dmascope.Dma's.
 *
 * Elements are matched by local name (a namespace prefix is ignored).
 * Nothing but <Events> or <Event> may be the root; a DOCTYPE is refused so
 * no entity can expand.  Every error names PATH:LINE:COLUMN: expat's for
 * a document that is not well-formed, the <Event> or <Data> element's for
 * an event that does not fit the schema.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "coh_err.h"
#include "etw-local.h"

#define XML_CHUNK     (64u << 10)
#define XML_DEPTH     32                       /* contexts kept; deeper is ignored */
#define XML_MAX_DATA  (16 + 3 * ETW_MAX_ITEMS) /* <Data> elements of one event */

enum xctx {
	X_NONE, X_ROOT, X_EVENT, X_SYSTEM, X_SYSTASK, X_EVENTDATA, X_DATA, X_RENDER,
	X_RTASK, X_REVNAME, X_IGNORE
};

struct xdata {
	char *name;                  /* Name attribute, owned */
	char *val;                   /* text, owned */
	uint32_t line, col;
};

/* The <Event> being read. */
struct xev {
	char *prov_name, *prov_guid; /* System/Provider attributes */
	char *time;                  /* System/TimeCreated@SystemTime */
	char *cpu;                   /* System/Execution@ProcessorID */
	char *systask;               /* System/Task text */
	char *rtask, *revname;       /* RenderingInfo/Task, RenderingInfo/EventName */
	char *ed_name;               /* EventData@Name */
	int binary;                  /* a <BinaryEventData>: tracerpt lacked the manifest */
	struct xdata *data;
	size_t ndata, capdata;
	uint32_t line, col;
	uint64_t src;
};

struct xmlr {
	struct trace *t;
	struct etw_store *st;
	XML_Parser p;
	char *err;
	size_t errn;
	int failed;
	int depth;                   /* elements open */
	uint8_t ctx[XML_DEPTH];      /* context of each open element */
	int in_event;
	struct xev ev;
	char *text;                  /* text of the element being collected */
	size_t ntext, captext;
};

const char *etw_xml_local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static void fail_at(struct xmlr *x, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail_at(struct xmlr *x, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (x->failed)
		return;
	x->failed = 1;
	XML_StopParser(x->p, XML_FALSE);
	if (!x->err || !x->errn)
		return;
	k = snprintf(x->err, x->errn, "%s:%u:%u: ", x->t->path, line, col);
	if (k >= 0 && (size_t)k < x->errn) {
		va_start(ap, fmt);
		vsnprintf(x->err + k, x->errn - (size_t)k, fmt, ap);
		va_end(ap);
	}
}

static uint32_t cur_line(const struct xmlr *x)
{
	return (uint32_t)XML_GetCurrentLineNumber(x->p);
}

static uint32_t cur_col(const struct xmlr *x)
{
	return (uint32_t)XML_GetCurrentColumnNumber(x->p) + 1;
}

#define FAIL(x, ...) fail_at((x), cur_line(x), cur_col(x), __VA_ARGS__)

static const char *attr(const XML_Char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(etw_xml_local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static int keep_attr(struct xmlr *x, char **dst, const XML_Char **atts, const char *name)
{
	const char *v = attr(atts, name);

	if (!v)
		return 0;
	free(*dst);
	*dst = strdup(v);
	if (!*dst) {
		FAIL(x, "out of memory");
		return -1;
	}
	return 0;
}

static void xev_clear(struct xev *e)
{
	char **strs[] = { &e->prov_name, &e->prov_guid, &e->time, &e->cpu, &e->systask,
			  &e->rtask, &e->revname, &e->ed_name };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	for (size_t i = 0; i < e->ndata; i++) {
		free(e->data[i].name);
		free(e->data[i].val);
	}
	e->ndata = 0;
	e->binary = 0;
}

/* ---- one finished <Event> ------------------------------------------------------ */

static int is_number(const char *s)
{
	uint64_t u;

	return etw_parse_u64(s, &u) == 0;
}

static const char *event_name(const struct xev *e)
{
	if (e->rtask && *e->rtask)
		return e->rtask;
	if (e->revname && *e->revname)
		return e->revname;
	if (e->ed_name && *e->ed_name)
		return e->ed_name;
	if (e->systask && *e->systask && !is_number(e->systask))
		return e->systask;
	return NULL;
}

static int is_ours(const struct xev *e)
{
	return (e->prov_name && strcasecmp(e->prov_name, ETW_PROVIDER_NAME) == 0) ||
	       (e->prov_guid && etw_guid_eq(e->prov_guid, ETW_PROVIDER_GUID));
}

static int foreign(struct xmlr *x)
{
	const struct xev *e = &x->ev;
	/* as tracerpt's CSV names them: the provider, else the (MOF) event name */
	const char *name = e->prov_name ? e->prov_name : e->revname ? e->revname :
			   e->rtask ? e->rtask : e->prov_guid;
	uint64_t lost;

	if (e->prov_guid && etw_guid_eq(e->prov_guid, ETW_EVENTTRACE_GUID))
		for (size_t i = 0; i < e->ndata; i++)
			if (strcmp(e->data[i].name, "EventsLost") == 0 &&
			    etw_parse_u64(e->data[i].val, &lost) == 0)
				x->st->lost += lost;
	if (etw_store_foreign(x->t, x->st, name) < 0) {
		FAIL(x, "out of memory");
		return -1;
	}
	return 0;
}

/* Every <Data> must name a field of the event. */
static int check_names(struct xmlr *x, const struct etw_evdef *d)
{
	for (size_t i = 0; i < x->ev.ndata; i++) {
		const struct xdata *dt = &x->ev.data[i];

		if (etw_field_index(d, dt->name) < 0) {
			fail_at(x, dt->line, dt->col, "event %s has no field '%.60s'", d->name,
				dt->name);
			return -1;
		}
	}
	return 0;
}

/* The <Data> elements of field @i: one per array element, or one holding a list. */
static int gather(struct xmlr *x, const struct etw_evdef *d, int i, struct etw_value *v,
		  char ***list)
{
	const struct etw_field *f = &d->fields[i];
	size_t n = 0, first = 0, cap;
	int packed;
	long k;

	for (size_t j = 0; j < x->ev.ndata; j++)
		if (strcmp(x->ev.data[j].name, f->name) == 0 && n++ == 0)
			first = j;
	if (n == 0 && f->type == ETW_T_BIN && i == d->nfields - 1) {
		static const char *const none[] = { "" };   /* version 1: no bytes known */

		v->items = none;
		v->n = 1;
		return 0;
	}
	if (n == 0) {
		fail_at(x, x->ev.line, x->ev.col, "event %s lacks field %s", d->name, f->name);
		return -1;
	}
	v->line = x->ev.data[first].line;
	v->col = x->ev.data[first].col;
	packed = n == 1 && etw_is_array(f->type);
	cap = packed ? etw_list_cap(x->ev.data[first].val) : n;
	*list = malloc(cap * sizeof(char *));
	if (!*list) {
		FAIL(x, "out of memory");
		return -1;
	}
	if (packed) {
		k = etw_split_list(x->ev.data[first].val, *list, cap);
		if (k < 0) {
			fail_at(x, v->line, v->col, "%s: field %s: more than %d elements", d->name,
				f->name, ETW_MAX_ITEMS);
			return -1;
		}
		n = (size_t)k;
	} else {
		n = 0;
		for (size_t j = first; j < x->ev.ndata; j++)
			if (strcmp(x->ev.data[j].name, f->name) == 0)
				(*list)[n++] = x->ev.data[j].val;
	}
	v->items = (const char *const *)*list;
	v->n = n;
	return 0;
}

static int time_cpu(struct xmlr *x, uint64_t *ts, uint16_t *cpu)
{
	const struct xev *e = &x->ev;
	uint64_t c = 0;

	if (!e->time) {
		fail_at(x, e->line, e->col, "event has no System/TimeCreated SystemTime");
		return -1;
	}
	if (etw_iso8601_ns(e->time, ts) < 0) {
		fail_at(x, e->line, e->col, "TimeCreated SystemTime '%.40s' is not an ISO 8601 "
			"UTC time", e->time);
		return -1;
	}
	if (e->cpu && (etw_parse_u64(e->cpu, &c) < 0 || c > UINT16_MAX)) {
		fail_at(x, e->line, e->col, "Execution ProcessorID '%.40s' is not a CPU number",
			e->cpu);
		return -1;
	}
	*cpu = (uint16_t)c;
	return 0;
}

static int convert(struct xmlr *x, const struct etw_evdef *d, struct coh_event *ev)
{
	struct etw_value v[ETW_MAX_FIELDS] = { { 0 } };
	char **lists[ETW_MAX_FIELDS] = { 0 };
	char msg[ETW_MSG_MAX];
	int badf = -1, k = -1;

	if (check_names(x, d) < 0)
		return -1;
	for (int i = 0; i < d->nfields; i++)
		if (gather(x, d, i, &v[i], &lists[i]) < 0)
			goto out;
	k = etw_convert(x->t, d, v, ev, &badf, msg, sizeof(msg));
	if (k < 0)
		fail_at(x, badf >= 0 ? v[badf].line : x->ev.line,
			badf >= 0 ? v[badf].col : x->ev.col, "%s", msg);
	else if (k != ETW_CONV_OK)
		trace_warn(x->t, "line %u: %s", x->ev.line, msg);
out:
	for (int i = 0; i < ETW_MAX_FIELDS; i++)
		free(lists[i]);
	return k;
}

static int ours(struct xmlr *x)
{
	const char *name = event_name(&x->ev);
	const struct etw_evdef *d = name ? etw_evdef_find(name) : NULL;
	struct coh_event ev;
	uint64_t id;

	/* no name rendered: a numeric System/Task is the manifest's task value */
	if (!name && x->ev.systask && etw_parse_u64(x->ev.systask, &id) == 0)
		d = etw_evdef_by_id(id);
	uint64_t ts = 0;
	uint16_t cpu = 0;
	int k;

	if (x->ev.binary && x->ev.ndata == 0) {
		fail_at(x, x->ev.line, x->ev.col, "event of provider %s has only <BinaryEventData>: "
			"tracerpt did not know the manifest; register it (wevtutil im "
			"Dmascope.Dma.man) or pass it (tracerpt -import Dmascope.Dma.man) and "
			"export again", ETW_PROVIDER_NAME);
		return -1;
	}
	if (!d && name)
		fail_at(x, x->ev.line, x->ev.col, "unknown event '%.60s' of provider %s", name,
			ETW_PROVIDER_NAME);
	else if (!d)
		fail_at(x, x->ev.line, x->ev.col, "event of provider %s has no name "
			"(RenderingInfo/Task)", ETW_PROVIDER_NAME);
	if (!d)
		return -1;
	if (time_cpu(x, &ts, &cpu) < 0)
		return -1;
	k = convert(x, d, &ev);
	if (k < 0 || k == ETW_CONV_DROP)
		return k < 0 ? -1 : 0;
	ev.ts = ts;
	ev.cpu = cpu;
	ev.src = x->ev.src;
	if (etw_store_add(x->t, x->st, d, &ev) < 0) {
		FAIL(x, "out of memory");
		return -1;
	}
	return 0;
}

static void end_event(struct xmlr *x)
{
	x->in_event = 0;
	if (is_ours(&x->ev))
		ours(x);
	else
		foreign(x);
	xev_clear(&x->ev);
}

/* ---- expat callbacks ----------------------------------------------------------- */

static int start_event(struct xmlr *x)
{
	int64_t src = etw_store_pos(x->st, (uint64_t)XML_GetCurrentByteIndex(x->p), cur_line(x),
				    cur_col(x));

	if (src < 0) {
		FAIL(x, "out of memory");
		return X_IGNORE;
	}
	x->in_event = 1;
	x->ev.src = (uint64_t)src;
	x->ev.line = cur_line(x);
	x->ev.col = cur_col(x);
	return X_EVENT;
}

static int start_data(struct xmlr *x, const XML_Char **atts)
{
	const char *name = attr(atts, "Name");
	struct xdata *d;

	if (!name) {
		FAIL(x, "<Data> without a Name attribute");
		return X_IGNORE;
	}
	if (x->ev.ndata == XML_MAX_DATA) {
		FAIL(x, "more than %d <Data> elements in one event", XML_MAX_DATA);
		return X_IGNORE;
	}
	if (x->ev.ndata == x->ev.capdata) {
		size_t cap = x->ev.capdata ? 2 * x->ev.capdata : 16;

		d = realloc(x->ev.data, cap * sizeof(*d));
		if (!d) {
			FAIL(x, "out of memory");
			return X_IGNORE;
		}
		x->ev.data = d;
		x->ev.capdata = cap;
	}
	d = &x->ev.data[x->ev.ndata];
	d->name = strdup(name);
	d->val = NULL;
	d->line = cur_line(x);
	d->col = cur_col(x);
	if (!d->name) {
		FAIL(x, "out of memory");
		return X_IGNORE;
	}
	x->ev.ndata++;
	return X_DATA;
}

static int child_of_system(struct xmlr *x, const char *name, const XML_Char **atts)
{
	if (strcmp(name, "Provider") == 0 && (keep_attr(x, &x->ev.prov_name, atts, "Name") < 0 ||
					      keep_attr(x, &x->ev.prov_guid, atts, "Guid") < 0))
		return X_IGNORE;
	if (strcmp(name, "TimeCreated") == 0)
		keep_attr(x, &x->ev.time, atts, "SystemTime");
	if (strcmp(name, "Execution") == 0)
		keep_attr(x, &x->ev.cpu, atts, "ProcessorID");
	return strcmp(name, "Task") == 0 ? X_SYSTASK : X_IGNORE;
}

static int context(struct xmlr *x, int parent, const char *name, const XML_Char **atts)
{
	switch (parent) {
	case X_NONE:
		if (strcmp(name, "Events") == 0)
			return X_ROOT;
		if (strcmp(name, "Event") == 0)
			return start_event(x);
		FAIL(x, "root element <%.40s> is not <Events> or <Event>", name);
		return X_IGNORE;
	case X_ROOT:
		return strcmp(name, "Event") == 0 ? start_event(x) : X_IGNORE;
	case X_EVENT:
		if (strcmp(name, "System") == 0)
			return X_SYSTEM;
		if (strcmp(name, "EventData") == 0)
			return keep_attr(x, &x->ev.ed_name, atts, "Name") < 0 ? X_IGNORE : X_EVENTDATA;
		x->ev.binary |= strcmp(name, "BinaryEventData") == 0;
		return strcmp(name, "RenderingInfo") == 0 ? X_RENDER : X_IGNORE;
	case X_SYSTEM:
		return child_of_system(x, name, atts);
	case X_EVENTDATA:
		return strcmp(name, "Data") == 0 ? start_data(x, atts) : X_IGNORE;
	case X_RENDER:
		if (strcmp(name, "Task") == 0)
			return X_RTASK;
		return strcmp(name, "EventName") == 0 ? X_REVNAME : X_IGNORE;
	}
	return X_IGNORE;
}

static int collecting(int ctx)
{
	return ctx == X_SYSTASK || ctx == X_DATA || ctx == X_RTASK || ctx == X_REVNAME;
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct xmlr *x = data;
	int parent = x->depth == 0 ? X_NONE :
		     x->depth <= XML_DEPTH ? x->ctx[x->depth - 1] : X_IGNORE;
	int ctx = parent == X_IGNORE || x->failed ? X_IGNORE :
		  context(x, parent, etw_xml_local(el), atts);

	if (x->depth < XML_DEPTH)
		x->ctx[x->depth] = (uint8_t)ctx;
	x->depth++;
	x->ntext = 0;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct xmlr *x = data;

	if (x->failed || x->depth == 0 || x->depth > XML_DEPTH ||
	    !collecting(x->ctx[x->depth - 1]) || len <= 0)
		return;
	if (x->ntext + (size_t)len + 1 > ETW_MAX_VALUE) {
		FAIL(x, "element text longer than %u bytes", ETW_MAX_VALUE);
		return;
	}
	if (x->ntext + (size_t)len + 1 > x->captext) {
		size_t cap = x->captext ? x->captext : 256;
		char *p;

		while (cap < x->ntext + (size_t)len + 1)
			cap *= 2;
		p = realloc(x->text, cap);
		if (!p) {
			FAIL(x, "out of memory");
			return;
		}
		x->text = p;
		x->captext = cap;
	}
	memcpy(x->text + x->ntext, s, (size_t)len);
	x->ntext += (size_t)len;
}

static char **text_slot(struct xmlr *x, int ctx)
{
	switch (ctx) {
	case X_SYSTASK: return &x->ev.systask;
	case X_RTASK: return &x->ev.rtask;
	case X_REVNAME: return &x->ev.revname;
	case X_DATA: return x->ev.ndata ? &x->ev.data[x->ev.ndata - 1].val : NULL;
	}
	return NULL;
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct xmlr *x = data;
	int ctx = --x->depth < XML_DEPTH ? x->ctx[x->depth] : X_IGNORE;
	char **slot = text_slot(x, ctx);

	(void)el;
	if (x->failed)
		return;
	if (slot) {
		free(*slot);
		*slot = strndup(x->text ? x->text : "", x->ntext);
		if (!*slot)
			FAIL(x, "out of memory");
	}
	x->ntext = 0;
	if (ctx == X_EVENT && !x->failed)
		end_event(x);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	FAIL((struct xmlr *)data, "DOCTYPE declarations are not allowed in an event export");
}

static void XMLCALL on_decl(void *data, const XML_Char *version, const XML_Char *encoding,
			    int standalone)
{
	struct xmlr *x = data;

	(void)version;
	(void)standalone;
	if (encoding && !x->st->enc[0])
		snprintf(x->st->enc, sizeof(x->st->enc), "%s", encoding);
}

/* ---- the stream ------------------------------------------------------------------ */

static void bom_encoding(struct etw_store *st, const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0xff && b[1] == 0xfe)
		snprintf(st->enc, sizeof(st->enc), "UTF-16LE");
	else if (n >= 2 && b[0] == 0xfe && b[1] == 0xff)
		snprintf(st->enc, sizeof(st->enc), "UTF-16BE");
}

/* expat's errors when the input stops in the middle of the document */
static int ends_early(enum XML_Error e)
{
	return e == XML_ERROR_NO_ELEMENTS || e == XML_ERROR_UNCLOSED_TOKEN ||
	       e == XML_ERROR_PARTIAL_CHAR || e == XML_ERROR_UNCLOSED_CDATA_SECTION;
}

static void fail_xml(struct xmlr *x, int final)
{
	enum XML_Error e = XML_GetErrorCode(x->p);

	if (final && ends_early(e))
		FAIL(x, "the file ends early at line %u, inside the export (%s): a truncated "
		     "file?", cur_line(x), XML_ErrorString(e));
	else
		FAIL(x, "not well-formed XML: %s", XML_ErrorString(e));
}

static int parse(struct xmlr *x, FILE *f, uint64_t total)
{
	char *buf = malloc(XML_CHUNK);
	uint64_t done = 0;
	size_t got;
	int final = 0;

	if (!buf) {
		snprintf(x->err, x->errn, "%s: out of memory", x->t->path);
		return -1;
	}
	while (!final && !x->failed) {
		got = fread(buf, 1, XML_CHUNK, f);
		final = got < XML_CHUNK;
		if (done == 0)
			bom_encoding(x->st, (unsigned char *)buf, got);
		if (XML_Parse(x->p, buf, (int)got, final) == XML_STATUS_ERROR && !x->failed)
			fail_xml(x, final);
		done += got;
		trace_progress(x->t, done, total);
	}
	if (!x->failed && ferror(f))
		FAIL(x, "read error: %s", strerror(errno));
	free(buf);
	return x->failed ? -1 : 0;
}

int etw_xml_read(struct trace *t, struct etw_store *st, FILE *f, uint64_t total, char *err,
		 size_t n)
{
	struct xmlr x = { .t = t, .st = st, .err = err, .errn = n };
	int rc;

	x.p = XML_ParserCreate(NULL);
	if (!x.p) {
		snprintf(err, n, "%s: out of memory", t->path);
		return -1;
	}
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, on_start, on_end);
	XML_SetCharacterDataHandler(x.p, on_text);
	XML_SetStartDoctypeDeclHandler(x.p, on_doctype);
	XML_SetXmlDeclHandler(x.p, on_decl);
	rc = parse(&x, f, total);
	xev_clear(&x.ev);
	free(x.ev.data);
	free(x.text);
	XML_ParserFree(x.p);
	return rc;
}
