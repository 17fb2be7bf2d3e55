/* SPDX-License-Identifier: MIT */
/*
 * test_badinput_fuzz.c - a few hundred thousand random events (random kinds,
 * fields and flags, pointers to valid small arrays) on simulations of varied
 * platforms: the engine never crashes (this runs under ASan and UBSan too),
 * every error comes with a code and a message and changes nothing, and the
 * views stay usable.
 */
#include "scen.h"


#define PER_PLATFORM  30000
#define NSEGS         4

struct fuzz {
	uint64_t rng;
	struct coh_seg segs[NSEGS];
	uint8_t data[4096];
	uint64_t errors, applied;
};

static uint64_t rnd(struct fuzz *z)
{
	z->rng ^= z->rng << 13;
	z->rng ^= z->rng >> 7;
	z->rng ^= z->rng << 17;
	return z->rng;
}

static uint64_t below(struct fuzz *z, uint64_t n)
{
	return rnd(z) % n;
}

/* Addresses cluster where mappings and accesses meet, with some wild ones. */
static uint64_t fz_addr(struct fuzz *z, uint64_t base)
{
	switch (below(z, 10)) {
	case 0:
		return UINT64_MAX - below(z, 600);
	case 1:
		return rnd(z);
	case 2:
		return COH_ADDR_NONE;
	default:
		return base + below(z, 0x4000);
	}
}

/* Lengths: mostly small; zero, overflowing and over-limit ones too, never a
 * huge valid one (those are fine but slow). */
static uint64_t fz_len(struct fuzz *z)
{
	switch (below(z, 12)) {
	case 0:
		return 0;
	case 1:
		return (1ull << 32) + 1 + below(z, 1000);
	case 2:
		return UINT64_MAX - below(z, 16);
	case 3:
	case 4:
		return 1 + below(z, 4096);
	default:
		return 1 + below(z, 128);
	}
}

static void fz_segs(struct fuzz *z)
{
	for (unsigned i = 0; i < NSEGS; i++) {
		z->segs[i].addr = fz_addr(z, 0x100000);
		z->segs[i].bus = below(z, 4) ? z->segs[i].addr + 0x7ff00000
					     : fz_addr(z, 0x80000000);
		z->segs[i].len = below(z, 8) ? 1 + below(z, 512) : fz_len(z);
	}
}

static void fz_event(struct fuzz *z, const struct coh_platform *p, struct coh_event *ev)
{
	static const uint64_t handles[] = { 0x1000, 0x2000, 0x3000 };

	coh_event_init(ev, (enum coh_kind)(below(z, 20) ? below(z, COH_EV_COUNT)
						       : below(z, 0x10000)));
	ev->cpu = (uint16_t)(below(z, 16) ? below(z, p->ncpus) : below(z, 12));
	ev->dev = (uint16_t)(below(z, 16) ? below(z, p->ndevs) : below(z, 300));
	ev->addr = fz_addr(z, 0x100000);
	ev->bus = below(z, 3) ? ev->addr + 0x7ff00000 : fz_addr(z, 0x80000000);
	ev->len = fz_len(z);
	ev->off = below(z, 8) ? below(z, 600) : rnd(z);
	ev->handle = below(z, 8) ? handles[below(z, 3)] : rnd(z);
	ev->irp = below(z, 5);
	ev->status = below(z, 2) ? 0 : (int32_t)rnd(z);
	ev->flags = (uint32_t)(below(z, 16) ? below(z, COH_F_ALL + 1) : rnd(z));
	ev->dir = (uint8_t)(below(z, 16) ? below(z, 3) : below(z, 256));
	ev->scope = (uint8_t)below(z, 4);
	ev->nents = (uint32_t)below(z, 6);
	if (below(z, 3)) {
		fz_segs(z);
		ev->segs = z->segs;
		ev->nsegs = (uint32_t)below(z, NSEGS + 1);
	} else {
		ev->nsegs = (uint32_t)below(z, 3);               /* NULL segs */
	}
	if (ev->len <= sizeof(z->data) && below(z, 4) == 0)
		ev->data = z->data;
	ev->text = below(z, 2) ? "fz" : NULL;
}

/* One event: an error changes nothing and says why. */
static void fz_apply(struct fuzz *z, struct coh_sim *s, const struct coh_event *ev, int check)
{
	uint64_t pos = coh_sim_pos(s), h = check ? coh_sim_hash(s) : 0;
	int err = coh_sim_apply(s, ev);

	if (err == 0) {
		assert_int_equal(coh_sim_pos(s), pos + 1);
		z->applied++;
		return;
	}
	z->errors++;
	assert_true(err < 0 && err > -COH_E_COUNT);
	assert_true(strlen(coh_sim_errmsg(s)) > 0);
	assert_int_equal(coh_sim_pos(s), pos);
	if (check)
		assert_int_equal(coh_sim_hash(s), h);
}

/* Poke the views with random indices: no crash, sane answers. */
static void fz_views(struct fuzz *z, const struct coh_sim *s)
{
	const struct coh_platform *p = coh_sim_platform(s);
	struct coh_line_view lv;
	struct coh_map_view mv;
	struct coh_held_byte hb[8];
	struct coh_seg sg[2];
	uint32_t v[COH_LINE_MAX];
	uint8_t b[COH_LINE_MAX], diff[COH_LINE_MAX], own[16];
	size_t nm = coh_sim_nmappings(s);
	int r;

	r = coh_sim_cache_line(s, (unsigned)below(z, p->ncpus + 1), (unsigned)below(z, p->sets + 1),
			       (unsigned)below(z, p->ways + 1), &lv, b, v, diff);
	assert_true(r == 0 || r == -COH_E_CPU || r == -COH_E_INVAL);
	r = coh_sim_cpu_view(s, (unsigned)below(z, p->ncpus), fz_addr(z, 0x100000), 16, b, v);
	assert_true(r == 0 || r == -COH_E_RANGE);
	r = (int)coh_sim_ctrl_view(s, (unsigned)below(z, p->ndevs + 1), hb, 8, NULL);
	assert_true(r >= -COH_E_DEV);
	r = (int)coh_sim_posted_view(s, (unsigned)below(z, p->ndevs + 1), hb, 8);
	assert_true(r >= -COH_E_DEV);
	if (nm) {
		size_t i = below(z, nm);

		assert_int_equal(coh_sim_mapping(s, i, &mv, sg, 2), 0);
		assert_true(mv.len > 0);
		r = coh_sim_mapping_owner(s, i, below(z, mv.len + 4), 16, own);
		assert_true(r == 0 || r == -COH_E_RANGE);
	}
	if (coh_sim_nfindings(s)) {
		char text[512];
		const struct coh_finding *f = coh_sim_finding(s, below(z, coh_sim_nfindings(s)));

		assert_non_null(f);
		assert_true(f->nbytes <= COH_EVIDENCE);
		assert_true(f->parent < 0 || (size_t)f->parent < coh_sim_nfindings(s));
		assert_true(coh_finding_explain(f, p, text, sizeof(text)) > 0);
	}
}

static void fz_platform(struct fuzz *z, unsigned k, struct coh_platform *p)
{
	static const uint32_t lines[] = { 16, 32, 64, 128, 256 };
	const char *name = coh_platform_preset_at(k % 8, NULL);

	assert_int_equal(coh_platform_preset(name, p), 0);
	p->ncpus = 1 + (uint32_t)below(z, COH_MAX_CPUS);
	p->line = lines[below(z, 5)];
	p->sets = 1u << below(z, 7);
	p->ways = 1 + (uint32_t)below(z, 8);
	p->speculative = (uint8_t)below(z, 2);
	for (unsigned i = 0; i < 3; i++) {
		char nm[8];

		snprintf(nm, sizeof(nm), "f%u", i);
		coh_platform_add_dev(p, nm);
		p->devs[i].coherent = (uint8_t)below(z, 2);
		p->devs[i].bounce = (uint8_t)below(z, 2);
		p->devs[i].signals_done = (uint8_t)below(z, 2);
		p->devs[i].dma_version = (uint8_t)(2 + below(z, 2));
		p->devs[i].ctrl_size = below(z, 2) ? 16u << below(z, 3) : 0;
		p->devs[i].ctrl_chunk = 8;
		p->devs[i].posted = below(z, 2) ? 32 : 0;
	}
	assert_int_equal(coh_platform_check(p, NULL, 0), 0);
}

static void random_events(void **state)
{
	static struct fuzz z;
	struct coh_platform p;

	(void)state;
	memset(&z, 0, sizeof(z));
	z.rng = 0x1234567887654321ull;
	for (unsigned i = 0; i < sizeof(z.data); i++)
		z.data[i] = (uint8_t)(i * 13);
	for (unsigned k = 0; k < 8; k++) {
		struct coh_sim *s;
		int err;

		fz_platform(&z, k, &p);
		s = coh_sim_new(&p, below(&z, 2) ? COH_SIM_STRICT : 0, &err);
		assert_non_null(s);
		for (unsigned n = 0; n < PER_PLATFORM; n++) {
			struct coh_event ev;

			fz_event(&z, &p, &ev);
			fz_apply(&z, s, &ev, n % 512 == 0);
			if (n % 97 == 0)
				fz_views(&z, s);
			if (n % 5000 == 4999) {             /* go on in a clone */
				struct coh_sim *c = coh_sim_clone(s);

				assert_non_null(c);
				assert_int_equal(coh_sim_hash(c), coh_sim_hash(s));
				coh_sim_free(s);
				s = c;
			}
		}
		coh_sim_free(s);
	}
	/* both outcomes were exercised a lot */
	assert_true(z.errors > 50000);
	assert_true(z.applied > 50000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
