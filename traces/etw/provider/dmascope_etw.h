/* SPDX-License-Identifier: MIT */
/*
 * dmascope_etw.h - the Dmascope.Dma ETW provider, for kernel-mode drivers
 * (WDM and KMDF): a wrapper per DMA call that calls the real routine and
 * logs it, with its arguments and its real return value, so that a trace
 * of the driver can be replayed by dmascope (docs/capturing-windows.md).
 *
 *   #include <ntddk.h>           (or wdm.h, or ntddk.h + wdf.h)
 *   #include "dmascope_etw.h"
 *
 *   DriverEntry:   DmascopeEtwRegister();
 *   DriverUnload:  DmascopeEtwUnregister();
 *   everywhere:    ok = DmascopeFlushAdapterBuffers("nic0", Irp, Dma, Mdl, Mrb,
 *                                                   CurrentVa, Length, FALSE);
 *                  in place of Dma->DmaOperations->FlushAdapterBuffers(Dma, Mdl, ...)
 *
 * Every wrapper takes the device's short name (as dmascope shows it) and,
 * where the schema logs one, the IRP the call serves, then the routine's
 * own arguments in the routine's order.  Events are written with
 * EtwWriteTransfer, described by the instrumentation manifest
 * Dmascope.Dma.man next to this file; their fields come from the table in
 * dmascope_etw_layout.h, which tests/test_etw_provider.c compares with the
 * readers' schema and the manifest.  Nothing is logged (and no MDL is walked)
 * while no session has the provider enabled.
 *
 * Knobs, defined before including this file:
 *   DMASCOPE_ETW_MAX_RUNS  physically contiguous runs of an MDL chain logged (64)
 *   DMASCOPE_ETW_MAX_DATA  bytes of Data logged with a CpuWrite/DeviceWrite; a longer
 *                          access is logged without them (16384: an event is at most 64 KiB)
 *   DMASCOPE_ETW_DMA_V3    1 when DMA_OPERATIONS has the version 3 routines
 *                          (MapTransferEx, FlushAdapterBuffersEx): the WDK's does,
 *                          mingw-w64's does not (default: 1 unless __MINGW32__)
 *   DMASCOPE_ETW_V3_OPS(Dma)  where those routines are ((Dma)->DmaOperations)
 */
#ifndef DMASCOPE_ETW_H
#define DMASCOPE_ETW_H

/* ntddk.h (which includes wdm.h) declares MmGetPhysicalAddress */
#include <ntddk.h>
#include <evntprov.h>         /* EventDataDescCreate (wdm.h may include it already) */

#include "dmascope_etw_layout.h"

#ifndef DMASCOPE_ETW_MAX_RUNS
#define DMASCOPE_ETW_MAX_RUNS 64
#endif
#ifndef DMASCOPE_ETW_MAX_DATA
#define DMASCOPE_ETW_MAX_DATA 16384
#endif
#ifndef DMASCOPE_ETW_DMA_V3
#ifdef __MINGW32__
#define DMASCOPE_ETW_DMA_V3 0
#else
#define DMASCOPE_ETW_DMA_V3 1
#endif
#endif
#ifndef DMASCOPE_ETW_V3_OPS
#define DMASCOPE_ETW_V3_OPS(Dma) ((Dma)->DmaOperations)
#endif

/* Dmascope.Dma, {5d575051-8be8-565a-febc-6f88289697b8} (docs/etw.md) */
DECLSPEC_SELECTANY const GUID DmascopeEtwProviderId = {
	0x5d575051, 0x8be8, 0x565a, { 0xfe, 0xbc, 0x6f, 0x88, 0x28, 0x96, 0x97, 0xb8 }
};
DECLSPEC_SELECTANY REGHANDLE DmascopeEtwRegHandle = 0;

#define DMASCOPE_ETW_LEVEL 4         /* win:Informational, as the manifest says */

/* ---- registration -------------------------------------------------------- */

/* In DriverEntry.  A failure leaves logging off; the driver works on. */
static __inline NTSTATUS DmascopeEtwRegister(VOID)
{
	return EtwRegister(&DmascopeEtwProviderId, NULL, NULL, &DmascopeEtwRegHandle);
}

/* In DriverUnload (and on DriverEntry's failure paths). */
static __inline VOID DmascopeEtwUnregister(VOID)
{
	if (DmascopeEtwRegHandle != 0)
		EtwUnregister(DmascopeEtwRegHandle);
	DmascopeEtwRegHandle = 0;
}

/* Is a session listening?  The wrappers log only then. */
static __inline BOOLEAN DmascopeEtwOn(VOID)
{
	return DmascopeEtwRegHandle != 0 &&
	       EtwProviderEnabled(DmascopeEtwRegHandle, DMASCOPE_ETW_LEVEL, 0);
}

/* ---- one event's payload, field by field ------------------------------------ */

#define DMASCOPE_ETW_MAX_FIELDS 16

typedef struct _DMASCOPE_ETW_PAYLOAD {
	EVENT_DATA_DESCRIPTOR Desc[DMASCOPE_ETW_MAX_FIELDS];
	ULONG64 Value[DMASCOPE_ETW_MAX_FIELDS]; /* scalars, copied */
	ULONG N;                                /* descriptors filled */
	ULONG Count;                            /* the last UInt32: an array's count */
	UCHAR Version;                          /* 1 when a Binary field was left out */
} DMASCOPE_ETW_PAYLOAD;

/* The C type of each field type of the layout. */
#define DMASCOPE_ETW_CTYPE_STR      PCSTR
#define DMASCOPE_ETW_CTYPE_U32      ULONG
#define DMASCOPE_ETW_CTYPE_U64      ULONG64
#define DMASCOPE_ETW_CTYPE_HEX64    ULONG64
#define DMASCOPE_ETW_CTYPE_PTR      const VOID *
#define DMASCOPE_ETW_CTYPE_BOOL     BOOLEAN
#define DMASCOPE_ETW_CTYPE_NTSTATUS NTSTATUS
#define DMASCOPE_ETW_CTYPE_BIN      const VOID *
#define DMASCOPE_ETW_CTYPE_A_HEX64  const ULONG64 *
#define DMASCOPE_ETW_CTYPE_A_U32    const ULONG *

static __inline VOID DmascopeEtwPutRef(DMASCOPE_ETW_PAYLOAD *P, const VOID *Ptr, ULONG Size)
{
	if (P->N < DMASCOPE_ETW_MAX_FIELDS)
		EventDataDescCreate(&P->Desc[P->N++], Ptr, Size);
}

static __inline VOID DmascopeEtwPutCopy(DMASCOPE_ETW_PAYLOAD *P, ULONG64 V, ULONG Size)
{
	if (P->N < DMASCOPE_ETW_MAX_FIELDS) {
		P->Value[P->N] = V;     /* little-endian: the low Size bytes come first */
		EventDataDescCreate(&P->Desc[P->N], &P->Value[P->N], Size);
		P->N++;
	}
}

static __inline VOID DmascopeEtwPut_STR(DMASCOPE_ETW_PAYLOAD *P, PCSTR S)
{
	if (S == NULL)
		S = "";
	DmascopeEtwPutRef(P, S, (ULONG)strlen(S) + 1);
}

static __inline VOID DmascopeEtwPut_U32(DMASCOPE_ETW_PAYLOAD *P, ULONG V)
{
	P->Count = V;
	DmascopeEtwPutCopy(P, V, sizeof(ULONG));
}

static __inline VOID DmascopeEtwPut_U64(DMASCOPE_ETW_PAYLOAD *P, ULONG64 V)
{
	DmascopeEtwPutCopy(P, V, sizeof(ULONG64));
}

#define DmascopeEtwPut_HEX64 DmascopeEtwPut_U64

static __inline VOID DmascopeEtwPut_PTR(DMASCOPE_ETW_PAYLOAD *P, const VOID *V)
{
	DmascopeEtwPutCopy(P, (ULONG64)(ULONG_PTR)V, sizeof(PVOID));
}

static __inline VOID DmascopeEtwPut_BOOL(DMASCOPE_ETW_PAYLOAD *P, BOOLEAN V)
{
	DmascopeEtwPutCopy(P, V ? 1 : 0, sizeof(ULONG));    /* win:Boolean is 4 bytes */
}

static __inline VOID DmascopeEtwPut_NTSTATUS(DMASCOPE_ETW_PAYLOAD *P, NTSTATUS V)
{
	DmascopeEtwPutCopy(P, (ULONG)V, sizeof(ULONG));
}

/* Binary data of Count bytes; NULL (no bytes known) or more than
 * DMASCOPE_ETW_MAX_DATA bytes writes the event's version 1, whose template
 * ends before the Data field. */
static __inline VOID DmascopeEtwPut_BIN(DMASCOPE_ETW_PAYLOAD *P, const VOID *V)
{
	if (V == NULL || P->Count > DMASCOPE_ETW_MAX_DATA)
		P->Version = 1;
	else
		DmascopeEtwPutRef(P, V, P->Count);
}

static __inline VOID DmascopeEtwPut_A_HEX64(DMASCOPE_ETW_PAYLOAD *P, const ULONG64 *V)
{
	DmascopeEtwPutRef(P, V, P->Count * (ULONG)sizeof(ULONG64));
}

static __inline VOID DmascopeEtwPut_A_U32(DMASCOPE_ETW_PAYLOAD *P, const ULONG *V)
{
	DmascopeEtwPutRef(P, V, P->Count * (ULONG)sizeof(ULONG));
}

static __inline VOID DmascopeEtwSend(DMASCOPE_ETW_PAYLOAD *P, USHORT Id, LPCGUID ActivityId)
{
	EVENT_DESCRIPTOR d;

	if (DmascopeEtwRegHandle == 0)
		return;
	RtlZeroMemory(&d, sizeof(d));
	d.Id = Id;
	d.Version = P->Version;
	d.Level = DMASCOPE_ETW_LEVEL;
	d.Task = Id;            /* one task per event, named as the event */
	EtwWriteTransfer(DmascopeEtwRegHandle, &d, ActivityId, NULL, P->N, P->Desc);
}

/*
 * DmascopeEtwWrite_<Event>(ActivityId, <the event's fields, in order>):
 * one generated function per event of the layout; the wrappers below call
 * them, and a driver may call them directly (DmascopeEtwWrite_CpuRead(NULL,
 * PhysicalAddress, Length)).  Each parameter is named after its field, so
 * the payload follows the layout's order by construction.
 */
#define DMASCOPE_ETW_PARAM(Field, Type) , DMASCOPE_ETW_CTYPE_##Type Field
#define DMASCOPE_ETW_PUT(Field, Type) DmascopeEtwPut_##Type(&p, Field);
#define DMASCOPE_ETW_DEFINE_WRITE(Id, Name)                                           \
	static __inline VOID DmascopeEtwWrite_##Name(                                   \
		LPCGUID ActivityId DMASCOPE_ETW_F_##Name(DMASCOPE_ETW_PARAM))           \
	{                                                                               \
		DMASCOPE_ETW_PAYLOAD p;                                                 \
                                                                                        \
		p.N = 0;                                                                \
		p.Count = 0;                                                            \
		p.Version = 0;                                                          \
		DMASCOPE_ETW_F_##Name(DMASCOPE_ETW_PUT)                                 \
		DmascopeEtwSend(&p, Id, ActivityId);                                    \
	}
DMASCOPE_ETW_EVENTS(DMASCOPE_ETW_DEFINE_WRITE)

#include "dmascope_etw_wrap.h"

#endif
