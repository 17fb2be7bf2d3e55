/* SPDX-License-Identifier: MIT */
/*
 * adapter.c - what sits between a device and memory during a Windows
 * transfer: the system DMA controller's buffer (slave DMA: writes reach
 * memory only B bytes at a time, reads are fetched B bytes ahead) and a bus
 * master's posted writes (at most P bytes wait).  Both are FIFOs of bytes
 * that remember their destination, version and transfer; flushes drain them
 * (coh_adapter_drain), and whatever is left when a transfer ends is residual
 * (coh_adapter_residual, DC004).
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "adapter.h"
#include "map.h"
#include "mem.h"
#include "sim-local.h"
#include "varr.h"
#include "write_log.h"

/* ---- byte FIFOs: the controller buffer, posted writes --------------------- */

static int fifo_push(struct coh_sim *s, struct fifo *q, uint64_t phys, uint32_t ver, uint32_t map)
{
	if (q->n == q->cap) {
		uint32_t cap = q->cap ? 2 * q->cap : 64;
		struct held *v = coh_heap_alloc(s->heap, cap * sizeof(*v));

		if (!v)
			return -COH_E_NOMEM;
		for (uint32_t i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		coh_heap_free(s->heap, q->v, q->cap * sizeof(*v));
		q->v = v;
		q->cap = cap;
		q->head = 0;
	}
	q->v[(q->head + q->n) % q->cap] = (struct held){ phys, ver, map };
	q->n++;
	return 0;
}

static struct held *fifo_at(const struct fifo *q, uint32_t i)
{
	return &q->v[(q->head + i) % q->cap];
}

static struct held fifo_pop(struct fifo *q)
{
	struct held h = *fifo_at(q, 0);

	q->head = (q->head + 1) % q->cap;
	q->n--;
	return h;
}

static struct mapping *map_by_id(const struct coh_sim *s, uint32_t id)
{
	for (uint32_t i = 0; i < s->maps.n; i++)
		if (s->maps.v[i]->id == id)
			return s->maps.v[i];
	return NULL;
}

/* Write held bytes to memory, grouping contiguous ones of one version. */
static int write_held(struct coh_sim *s, unsigned dev, const struct held *h, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		const struct mapping *m = map_by_id(s, h[i].map);
		bool cached = m ? (m->flags & MF_CACHED) : true;
		uint32_t k = 1;
		int err;

		while (i + k < n && h[i + k].phys == h[i].phys + k && h[i + k].ver == h[i].ver &&
		       h[i + k].map == h[i].map)
			k++;
		/* a dirty line under drained bytes: the cache was not cleaned before */
		err = coh_phys_write_dev(s, dev, cached, m ? coh_flush_call(m) : COH_EV_KE_FLUSH, h[i].phys,
				     k, h[i].ver);
		if (err < 0)
			return err;
		i += k;
	}
	return 0;
}

/* Pop the @n oldest entries of a FIFO of buffered writes into memory. */
static int drain_oldest(struct coh_sim *s, unsigned dev, struct fifo *q, uint32_t n)
{
	struct held *h = malloc((n ? n : 1) * sizeof(*h));
	int err;

	if (!h)
		return -COH_E_NOMEM;
	for (uint32_t i = 0; i < n; i++)
		h[i] = fifo_pop(q);
	err = write_held(s, dev, h, n);
	free(h);
	return err;
}

/* Take out the entries of transfer @map within [lo, hi); write them to memory
 * when @to_mem (buffered writes), else drop them (prefetched reads). */
int coh_adapter_drain(struct coh_sim *s, unsigned dev, struct fifo *q, uint32_t map,
		       uint64_t lo, uint64_t hi, bool to_mem)
{
	struct held *out = malloc((q->n ? q->n : 1) * sizeof(*out));
	uint32_t nout = 0, n = q->n;
	int err = 0;

	if (!out)
		return -COH_E_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct held h = fifo_pop(q);

		if (h.map == map && h.phys >= lo && h.phys < hi)
			out[nout++] = h;
		else
			q->v[(q->head + q->n++) % q->cap] = h;   /* back in, same order */
	}
	if (to_mem)
		err = write_held(s, dev, out, nout);
	free(out);
	return err;
}

/* ---- device accesses during a transfer ------------------------------------ */

#define CTRL_BATCH 65536u             /* bytes pushed before the full buffers drain */

/* A slave-DMA device writes through the controller: bytes are written to
 * memory only when B are buffered, in chunks of C; the tail waits.  The
 * buffers filled by one write drain together (the same bytes reach memory in
 * the same order), so a stale cached copy under them is one DC003, not one
 * per B bytes. */
static int ctrl_write(struct coh_sim *s, struct mapping *m, uint64_t phys, uint64_t k)
{
	const struct coh_dev_cfg *d = dcfg(s, m->dev);
	struct fifo *q = &s->dev[m->dev].ctrl;
	int err;

	if (q->dir == COH_DIR_TO_DEVICE)
		q->n = 0;                           /* prefetched reads are dropped */
	q->dir = COH_DIR_FROM_DEVICE;
	for (uint64_t i = 0; i < k;) {
		uint64_t end = MIN(k, i + CTRL_BATCH);

		for (; i < end; i++)
			if ((err = fifo_push(s, q, phys + i, s->ver, m->id)) < 0)
				return err;
		if (q->n >= d->ctrl_size &&
		    (err = drain_oldest(s, m->dev, q, q->n - q->n % d->ctrl_size)) < 0)
			return err;
	}
	return 0;
}

/* A slave-DMA device reads through the controller, which reads B bytes of
 * memory ahead whenever the device needs a byte it does not hold. */
static int ctrl_read(struct coh_sim *s, struct mapping *m, uint64_t off, uint64_t phys,
		     uint64_t k)
{
	const struct coh_dev_cfg *d = dcfg(s, m->dev);
	struct fifo *q = &s->dev[m->dev].ctrl;
	uint32_t *held = malloc(k * sizeof(*held));
	uint64_t seg_phys, avail;
	int err = 0;

	if (!held)
		return -COH_E_NOMEM;
	if (!coh_map_seg_phys(m, off, &seg_phys, &avail))
		avail = k;
	for (uint64_t i = 0; i < k && !err; i++) {
		uint64_t a = phys + i;

		if (q->dir != COH_DIR_TO_DEVICE || !q->n || fifo_at(q, 0)->phys != a) {
			uint64_t ahead = MIN((uint64_t)d->ctrl_size, avail - i);

			q->n = 0;
			q->dir = COH_DIR_TO_DEVICE;
			for (uint64_t j = 0; j < ahead && !err; j++)
				err = fifo_push(s, q, a + j, coh_mem_get(s, F_MEM, a + j), m->id);
			if (err)
				break;
		}
		held[i] = fifo_pop(q).ver;
	}
	if (!err)
		err = coh_dev_read_plain(s, m, off, phys, k, held);
	free(held);
	return err;
}

/* A bus master's writes are posted: at most P bytes wait, oldest first out. */
static int posted_write(struct coh_sim *s, struct mapping *m, uint64_t phys, uint64_t k)
{
	const struct coh_dev_cfg *d = dcfg(s, m->dev);
	struct fifo *q = &s->dev[m->dev].posted;
	int err;

	q->dir = COH_DIR_FROM_DEVICE;
	for (uint64_t i = 0; i < k; i++)
		if ((err = fifo_push(s, q, phys + i, s->ver, m->id)) < 0)
			return err;
	return q->n > d->posted ? drain_oldest(s, m->dev, q, q->n - d->posted) : 0;
}

static int xfer_piece(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t phys,
		      uint64_t k, bool write, const uint8_t *data)
{
	struct mapping *m = *mp;
	const struct coh_dev_cfg *d = dcfg(s, m->dev);
	bool ctrl = d->ctrl_size && m->kind == COH_MAP_TRANSFER;
	bool posted = d->posted && !(m->flags & MF_BOUNCED);
	int err;

	if (!write)
		return ctrl ? ctrl_read(s, m, off, phys, k) : coh_dev_read_plain(s, m, off, phys, k, NULL);
	if (!ctrl && !posted)
		return coh_dev_write_plain(s, mp, off, phys, k, data);
	if ((err = coh_record_data(s, phys, k, data)) < 0)
		return err;
	err = ctrl ? ctrl_write(s, m, phys, k) : posted_write(s, m, phys, k);
	if (!err)
		err = coh_varr_set(s->heap, &(*mp)->devw, off, k, s->ver);
	return err;
}

int coh_xfer_device_access(struct coh_sim *s, struct mapping **mp, uint64_t off, uint64_t n,
		       bool write, const uint8_t *data)
{
	uint64_t i = 0;

	if (write && ((*mp)->flags & MF_CUT))
		return 0;                   /* the flush cut the transfer short: lost */
	while (i < n) {
		uint64_t phys, avail;
		int err;

		if (!coh_map_seg_phys(*mp, off + i, &phys, &avail)) {
			i++;
			continue;
		}
		avail = MIN(avail, n - i);
		err = xfer_piece(s, mp, off + i, phys, avail, write, data ? data + i : NULL);
		if (err < 0)
			return err;
		i += avail;
	}
	return 0;
}

/* ---- residual bytes, the end of a transfer --------------------------------- */

static void residual_fifo(const struct coh_sim *s, const struct fifo *q, uint32_t map, int rule,
		       struct residual *r)
{
	for (uint32_t i = 0; i < q->n; i++) {
		const struct held *h = fifo_at(q, i);

		if (h->map != map || (q->dir != COH_DIR_FROM_DEVICE))
			continue;
		if (!r->rule) {
			r->rule = rule;
			r->lo = h->phys;
			r->hi = h->phys + 1;
			r->ev_addr = h->phys;
		}
		r->lo = MIN(r->lo, h->phys);
		r->hi = MAX(r->hi, h->phys + 1);
		if (r->rule == rule && r->n < COH_EVIDENCE && h->phys == r->ev_addr + r->n) {
			r->seen[r->n] = coh_mem_get(s, F_MEM, h->phys);
			r->exp[r->n++] = h->ver;
		}
	}
}

bool coh_adapter_residual(const struct coh_sim *s, const struct mapping *m, struct residual *r)
{
	memset(r, 0, sizeof(*r));
	residual_fifo(s, &s->dev[m->dev].ctrl, m->id, COH_R_RESIDUAL_CTRL, r);
	if (!r->rule)
		residual_fifo(s, &s->dev[m->dev].posted, m->id, COH_R_RESIDUAL_POSTED, r);
	if (!r->rule && (m->flags & MF_BOUNCED)) {
		for (uint64_t off = 0, len; off < m->len; off += len) {
			uint32_t v = coh_varr_run(&m->devw, off, m->len - off, &len);
			uint64_t phys, avail;

			if (!v || !coh_map_seg_phys(m, off, &phys, &avail))
				continue;
			r->rule = COH_R_RESIDUAL_BOUNCE;
			r->lo = r->ev_addr = phys;
			r->hi = phys + MIN(len, avail);
			for (; r->n < COH_EVIDENCE && r->n < MIN(len, avail); r->n++) {
				r->seen[r->n] = coh_mem_get(s, F_MEM, phys + r->n);
				r->exp[r->n] = v;
			}
			break;
		}
	}
	return r->rule != 0;
}
