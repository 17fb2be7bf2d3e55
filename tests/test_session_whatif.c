/* SPDX-License-Identifier: MIT */
/*
 * test_session_whatif.c - what-if in a replay session (session_whatif.c,
 * session_whatif_file.c, session_omit.c), on the linux-rx-nosync samples
 * (arm-noncoherent: a dma_sync_for_cpu must come between the device's
 * write and the CPU's read, docs/model.md):
 *
 * - leaving out the fixed driver's sync makes the read stale (DC001) and
 *   changes the state shown at the read; undo gives back the recorded
 *   state hash, redo the edited one;
 * - the edited state shown at each event, stepping both ways, is the
 *   edited timeline's;
 * - moving the sync past the read makes the read stale too; moving it
 *   again replaces the move, back in place there is no edit, and before
 *   the device's write it does no harm (these CPUs do not speculate);
 * - the insert key puts a dma_sync_for_cpu before the buggy driver's
 *   read, and its DC001 goes away;
 * - saved edits reload to the same run (same state at the end, same
 *   findings added and removed), also in a background session; a damaged
 *   edit file names its line and leaves the recorded run;
 * - a platform switch drops the edits;
 * - the omission matrix breaks the run exactly at the fixed driver's
 *   dma_sync_for_cpu calls, and a row becomes the edit list.
 */
#include <sys/stat.h>

#include "coh_whatif.h"
#include "session-test.h"

#define OK_SAMPLE  "linux-rx-nosync.ok.dmt"
#define BUG_SAMPLE "linux-rx-nosync.bug.dmt"

/* Engine index of the first event of @kind at or after @from. */
static uint64_t find_kind(struct session *s, unsigned kind, uint64_t from)
{
	struct coh_event ev;

	for (uint64_t i = from; i < session_count(s); i++)
		if (session_event(s, i, &ev) == 0 && ev.kind == kind)
			return i;
	fail_msg("no %s after event %llu", coh_kind_name(kind), (unsigned long long)from);
	return 0;
}

/* The machine's hash in the state the panes show now. */
static uint64_t shown_hash(struct session *s)
{
	const struct coh_sim *sim;
	uint64_t h;

	session_lock(s);
	sim = session_sim(s);
	assert_non_null(sim);
	h = coh_sim_state_hash(sim);
	session_unlock(s);
	return h;
}

/* The diff, the lock held: made at once (SESSION_SYNC), or by the
 * background thread a slice at a time, which is waited for (a minute at
 * most) while it says how far it is. */
static const struct coh_run_diff *diff_of(struct session *s)
{
	for (int k = 0; k < 60000; k++) {
		const struct coh_run_diff *d;
		uint64_t done = 0, total = 0;

		session_lock(s);
		if ((d = session_whatif_diff(s)))
			return d;
		assert_true(session_whatif_diffing(s, &done, &total));
		assert_true(done <= total);
		session_unlock(s);
		usleep(1000);
	}
	fail_msg("the diff was not made");
	return NULL;
}

/* How many findings @id the diff adds at the edited place of recorded
 * event @at (@added) or removes at @at. */
static size_t diff_count(struct session *s, unsigned id, uint64_t at, bool added)
{
	const struct coh_run_diff *d;
	const struct coh_finding *f;
	uint64_t where;
	size_t n, k = 0;

	d = diff_of(s);
	f = added ? d->added : d->removed;
	n = added ? d->nadded : d->nremoved;
	where = added ? coh_whatif_to_edited(session_whatif(s), at) : at;
	for (size_t i = 0; i < n; i++)
		k += f[i].id == id && f[i].seq == where;
	session_unlock(s);
	return k;
}

static void delete_undo_redo(void **state)
{
	struct session *s = st_open_sample(OK_SAMPLE, NULL, SESSION_SYNC);
	uint64_t sync = find_kind(s, COH_EV_DMA_SYNC_CPU, 0);
	uint64_t read = find_kind(s, COH_EV_CPU_READ, sync);
	uint64_t recorded, edited;

	(void)state;
	assert_int_equal(session_seek(s, read), 0);
	recorded = shown_hash(s);
	assert_int_equal(session_seek(s, sync), 0);
	assert_int_equal(session_whatif_delete(s), 0);
	assert_int_equal(session_whatif_nedits(s), 1);
	session_run_set(s, SESSION_RUN_EDITED);
	assert_int_equal(session_seek(s, read), 0);
	edited = shown_hash(s);
	assert_true(edited != recorded);           /* the lines the sync dropped stay cached */
	assert_true(diff_count(s, COH_DC001, read, true) > 0);
	assert_int_equal(session_whatif_undo(s), 0);
	assert_int_equal(session_whatif_nedits(s), 0);
	assert_true(shown_hash(s) == recorded);
	assert_int_equal(session_whatif_redo(s), 0);
	assert_true(shown_hash(s) == edited);
	assert_int_equal(session_whatif_redo(s), 1);     /* nothing left to redo */
	assert_int_equal(session_seek(s, sync), 0);
	assert_int_equal(session_whatif_delete(s), -1);  /* the sync is left out already */
	session_close(s);
}

/* The edited state shown at every event, stepping forward then back, is
 * the edited timeline's own state there. */
static void edited_steps_both_ways(void **state)
{
	struct session *s = st_open_sample(OK_SAMPLE, NULL, SESSION_SYNC);
	uint64_t n = session_count(s), want;
	struct coh_timeline *tl;
	struct coh_sim *ref;

	(void)state;
	assert_int_equal(session_seek(s, find_kind(s, COH_EV_DMA_SYNC_CPU, 0)), 0);
	assert_int_equal(session_whatif_delete(s), 0);
	session_run_set(s, SESSION_RUN_EDITED);
	for (int dir = 1; dir >= -1; dir -= 2)
		for (uint64_t k = 0; k < n; k++) {
			uint64_t pos = dir > 0 ? k : n - 1 - k;

			assert_int_equal(session_seek(s, pos), 0);
			session_lock(s);
			tl = coh_whatif_timeline(session_whatif(s), NULL);
			want = coh_whatif_to_edited(session_whatif(s), pos) + 1;
			ref = coh_timeline_state_at(tl, want, NULL);
			assert_non_null(ref);
			session_unlock(s);
			assert_true(shown_hash(s) == coh_sim_state_hash(ref));
			coh_sim_free(ref);
		}
	session_close(s);
}

/* The one edit in force is a move of @at to before @to. */
static void one_move(struct session *s, uint64_t at, uint64_t to)
{
	struct coh_edit e;

	session_lock(s);
	assert_int_equal(coh_whatif_nedits(session_whatif(s)), 1);
	assert_int_equal(coh_whatif_edit(session_whatif(s), 0, &e), 0);
	assert_int_equal(e.op, COH_EDIT_MOVE);
	assert_int_equal(e.at, at);
	assert_int_equal(e.to, to);
	session_unlock(s);
}

static void move_and_back(void **state)
{
	struct session *s = st_open_sample(OK_SAMPLE, NULL, SESSION_SYNC);
	uint64_t sync = find_kind(s, COH_EV_DMA_SYNC_CPU, 0);
	uint64_t read = find_kind(s, COH_EV_CPU_READ, sync);

	(void)state;
	assert_int_equal(read, sync + 1);
	assert_int_equal(session_seek(s, sync), 0);
	assert_int_equal(session_whatif_move(s, 1), 0);
	one_move(s, sync, sync + 2);              /* after the read: too late */
	assert_true(diff_count(s, COH_DC001, read, true) > 0);
	assert_int_equal(session_whatif_move(s, 1), 0);
	one_move(s, sync, sync + 3);
	assert_int_equal(session_whatif_move(s, -1), 0);
	one_move(s, sync, sync + 2);
	assert_int_equal(session_whatif_move(s, -1), 0);
	assert_int_equal(session_whatif_nedits(s), 0);   /* back in place */
	assert_int_equal(session_whatif_move(s, -1), 0);
	one_move(s, sync, sync - 1);              /* before the device's write */
	session_lock(s);                          /* harmless where CPUs do not speculate */
	assert_int_equal(session_whatif_diff(s)->nadded, 0);
	session_unlock(s);
	session_close(s);
}

static void insert_cures(void **state)
{
	struct session *s = st_open_sample(BUG_SAMPLE, NULL, SESSION_SYNC);
	uint64_t read = find_kind(s, COH_EV_CPU_READ, find_kind(s, COH_EV_DEV_WRITE, 0));
	struct coh_edit e;

	(void)state;
	assert_int_equal(session_seek(s, read), 0);
	assert_int_equal(session_whatif_insert(s), 0);
	session_lock(s);
	assert_int_equal(coh_whatif_edit(session_whatif(s), 0, &e), 0);
	assert_int_equal(e.op, COH_EDIT_INSERT);
	assert_int_equal(e.at, read);
	assert_int_equal(e.ev.kind, COH_EV_DMA_SYNC_CPU);
	assert_int_equal(session_whatif_diff(s)->nadded, 0);
	session_unlock(s);
	assert_true(diff_count(s, COH_DC001, read, false) > 0);
	session_close(s);
}

/* A copy of @sample in a new directory: @path receives its name. */
static void private_copy(const char *sample, char *path, size_t n)
{
	char dir[] = "/tmp/dmascope-whatif-XXXXXX", src[1024], *text;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	rt_sample_path(src, sizeof(src), sample);
	f = fopen(src, "rb");
	assert_non_null(f);
	text = calloc(1, 1 << 16);
	assert_non_null(text);
	assert_true(fread(text, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	snprintf(path, n, "%s/%s", dir, sample);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
}

/* What the edited run comes to: its state at the end, its diff's findings. */
struct outcome {
	uint64_t hash;
	size_t nadded, nremoved;
	unsigned added_id[8], removed_id[8];
	uint64_t added_seq[8], removed_seq[8];
};

static void outcome_of(struct session *s, struct outcome *o)
{
	const struct coh_run_diff *d;

	memset(o, 0, sizeof(*o));
	session_run_set(s, SESSION_RUN_EDITED);
	assert_int_equal(session_seek(s, session_count(s) - 1), 0);
	o->hash = shown_hash(s);
	d = diff_of(s);
	o->nadded = d->nadded;
	o->nremoved = d->nremoved;
	for (size_t i = 0; i < d->nadded && i < 8; i++) {
		o->added_id[i] = d->added[i].id;
		o->added_seq[i] = d->added[i].seq;
	}
	for (size_t i = 0; i < d->nremoved && i < 8; i++) {
		o->removed_id[i] = d->removed[i].id;
		o->removed_seq[i] = d->removed[i].seq;
	}
	session_unlock(s);
}

/* Open @path, load its FILE.whatif (waiting for a background replay). */
static struct session *reopen(const char *path, unsigned flags)
{
	struct session *s = st_open(path, NULL, flags);
	char msg[256];

	session_whatif_load(s, NULL);
	if (!(flags & SESSION_SYNC))
		st_wait(s);
	assert_int_equal(session_whatif_poll(s, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "2 edits loaded"));
	assert_int_equal(session_whatif_poll(s, msg, sizeof(msg)), 0);   /* once */
	assert_int_equal(session_whatif_nedits(s), 2);
	assert_int_equal(session_run(s), SESSION_RUN_EDITED);
	return s;
}

static void save_and_load(void **state)
{
	char path[1100], msg[256];
	struct outcome before, after;
	struct session *s;
	uint64_t read;

	(void)state;
	private_copy(BUG_SAMPLE, path, sizeof(path));
	s = st_open(path, NULL, SESSION_SYNC);
	read = find_kind(s, COH_EV_CPU_READ, find_kind(s, COH_EV_DEV_WRITE, 0));
	assert_int_equal(session_seek(s, read), 0);
	assert_int_equal(session_whatif_insert(s), 0);
	assert_int_equal(session_seek(s, find_kind(s, COH_EV_DEV_WRITE, 0)), 0);
	assert_int_equal(session_whatif_move(s, -1), 0);         /* before its mapping */
	outcome_of(s, &before);
	assert_true(before.nadded > 0 && before.nremoved > 0);   /* DC011 added, DC001 gone */
	assert_int_equal(session_whatif_save(s, msg, sizeof(msg)), 0);
	session_close(s);
	for (int bg = 0; bg < 2; bg++) {
		s = reopen(path, bg ? 0 : SESSION_SYNC);
		outcome_of(s, &after);
		assert_memory_equal(&before, &after, sizeof(before));
		session_close(s);
	}
}

/* Without SESSION_SYNC the diff is made by the background thread a slice
 * at a time: the first ask finds it being made; an edit meanwhile drops
 * it and the next ask makes the new list's, the same as a session that
 * makes it at once; closing while one is being made neither hangs nor
 * leaks (LeakSanitizer). */
static void background_diff(void **state)
{
	struct outcome sync, bg;
	uint64_t done, total;
	struct session *s;

	(void)state;
	for (int b = 0; b < 2; b++) {
		s = st_open_sample(BUG_SAMPLE, NULL, b ? 0 : SESSION_SYNC);
		if (b)
			st_wait(s);
		assert_int_equal(session_seek(s, find_kind(s, COH_EV_CPU_READ,
							   find_kind(s, COH_EV_DEV_WRITE, 0))), 0);
		assert_int_equal(session_whatif_insert(s), 0);
		if (b) {
			session_lock(s);
			assert_null(session_whatif_diff(s));
			assert_true(session_whatif_diffing(s, &done, &total));
			session_unlock(s);
		}
		assert_int_equal(session_seek(s, find_kind(s, COH_EV_DEV_WRITE, 0)), 0);
		assert_int_equal(session_whatif_move(s, -1), 0);
		outcome_of(s, b ? &bg : &sync);
		if (b) {
			assert_int_equal(session_seek(s, 0), 0);
			assert_int_equal(session_whatif_delete(s), 0);
			session_lock(s);
			assert_null(session_whatif_diff(s));
			session_unlock(s);
		}
		session_close(s);
	}
	assert_memory_equal(&sync, &bg, sizeof(sync));
}

static void damaged_file(void **state)
{
	char path[1100], edits[1200], msg[256], line[1300];
	struct session *s;
	uint64_t recorded;
	FILE *f;

	(void)state;
	private_copy(OK_SAMPLE, path, sizeof(path));
	snprintf(edits, sizeof(edits), "%s.whatif", path);
	f = fopen(edits, "w");
	assert_non_null(f);
	fputs("dmascope-whatif 1\nfrobnicate 3\n", f);
	fclose(f);
	s = st_open(path, NULL, SESSION_SYNC);
	assert_int_equal(session_seek(s, 3), 0);
	recorded = shown_hash(s);
	session_whatif_load(s, NULL);
	assert_int_equal(session_whatif_poll(s, msg, sizeof(msg)), -1);
	snprintf(line, sizeof(line), "%s:2:", edits);
	assert_non_null(strstr(msg, line));
	assert_int_equal(session_whatif_nedits(s), 0);
	assert_int_equal(session_run(s), SESSION_RUN_RECORDED);
	assert_true(shown_hash(s) == recorded);
	session_close(s);
}

static void platform_drops_edits(void **state)
{
	struct session *s = st_open_sample(OK_SAMPLE, NULL, SESSION_SYNC);
	char err[256];

	(void)state;
	assert_int_equal(session_seek(s, find_kind(s, COH_EV_DMA_SYNC_CPU, 0)), 0);
	assert_int_equal(session_whatif_delete(s), 0);
	session_run_set(s, SESSION_RUN_DIFF);
	assert_int_equal(session_set_platform(s, "x86", err, sizeof(err)), 0);
	assert_int_equal(session_whatif_nedits(s), 0);
	assert_int_equal(session_run(s), SESSION_RUN_RECORDED);
	session_close(s);
}

static void omission_rows(void **state)
{
	struct session *s = st_open_sample(OK_SAMPLE, NULL, SESSION_SYNC);
	struct session_omit_view v;
	struct coh_event ev;
	char err[256];
	size_t broke = 0;

	(void)state;
	assert_int_equal(session_omit_start(s, err, sizeof(err)), 0);
	session_omit_get(s, &v);
	assert_true(v.finished);
	assert_true(v.nrows > 0);
	for (size_t i = 0; i < v.nrows; i++) {
		assert_int_equal(session_event(s, v.rows[i].at, &ev), 0);
		assert_int_equal(ev.kind, v.rows[i].kind);
		if (ev.kind == COH_EV_DMA_SYNC_CPU) {      /* each read needs its sync */
			assert_true(v.rows[i].broke);
			assert_true(v.rows[i].added[COH_DC001] > 0);
		}
		broke += v.rows[i].broke;
	}
	assert_true(broke >= 2);
	assert_int_equal(session_whatif_omit(s, v.rows[0].at), 0);
	assert_int_equal(session_whatif_nedits(s), 1);
	assert_int_equal(session_run(s), SESSION_RUN_DIFF);
	session_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delete_undo_redo),
		cmocka_unit_test(edited_steps_both_ways),
		cmocka_unit_test(move_and_back),
		cmocka_unit_test(insert_cures),
		cmocka_unit_test(save_and_load),
		cmocka_unit_test(background_diff),
		cmocka_unit_test(damaged_file),
		cmocka_unit_test(platform_drops_edits),
		cmocka_unit_test(omission_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
