/* SPDX-License-Identifier: MIT */
/*
 * etw-driver-stub.c - a kernel-mode driver that calls every wrapper of
 * traces/etw/provider/dmascope_etw.h once, so that tests/t_etw_provider.sh
 * can build it with mingw-w64 (warnings as errors) and check what the image
 * imports from ntoskrnl.exe.  It is built, never run.
 *
 * mingw-w64's DMA_OPERATIONS stops before the version 3 routines; the
 * stub describes them itself (with the WDK's signatures) so that the
 * version 3 wrappers are compiled too.
 */
#include <wdm.h>

typedef VOID (NTAPI *STUB_DMA_COMPLETION_ROUTINE)(PDMA_ADAPTER, PDEVICE_OBJECT, PVOID, ULONG);
#define PDMA_COMPLETION_ROUTINE STUB_DMA_COMPLETION_ROUTINE

typedef struct _STUB_DMA_OPERATIONS_V3 {
	NTSTATUS (NTAPI *MapTransferEx)(PDMA_ADAPTER, PMDL, PVOID, ULONGLONG, ULONG, PULONG,
					BOOLEAN, PSCATTER_GATHER_LIST, ULONG,
					PDMA_COMPLETION_ROUTINE, PVOID);
	NTSTATUS (NTAPI *FlushAdapterBuffersEx)(PDMA_ADAPTER, PMDL, PVOID, ULONGLONG, ULONG,
						BOOLEAN);
} STUB_DMA_OPERATIONS_V3;

STUB_DMA_OPERATIONS_V3 *StubV3;    /* not static: the compiler must not know it is NULL */

#define DMASCOPE_ETW_DMA_V3 1
#define DMASCOPE_ETW_V3_OPS(Dma) ((void)(Dma), StubV3)
#include "dmascope_etw.h"

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

static VOID NTAPI StubExecution(PDEVICE_OBJECT Dev, PIRP Irp, PSCATTER_GATHER_LIST Sgl,
				PVOID Ctx)
{
	(void)Dev;
	DmascopeLogScatterGatherList("disk0", Irp, (PMDL)Ctx, NULL, 4096, FALSE, Sgl);
}

static IO_ALLOCATION_ACTION NTAPI StubControl(PDEVICE_OBJECT Dev, PIRP Irp, PVOID Mrb, PVOID Ctx)
{
	(void)Dev; (void)Irp; (void)Mrb; (void)Ctx;
	return KeepObject;
}

/* Every wrapper, in the order of a transfer's life. */
static VOID StubWorkload(PDEVICE_OBJECT Dev, PDMA_ADAPTER Dma, PIRP Irp, PMDL Mdl)
{
	PHYSICAL_ADDRESS la;
	PVOID va, cur = MmGetMdlVirtualAddress(Mdl);
	ULONG len = MmGetMdlByteCount(Mdl);
	SCATTER_GATHER_LIST sgl;

	DmascopeSequenceBegin("stub");
	va = DmascopeAllocateCommonBuffer("snd0", Dma, 4096, &la, TRUE);
	DmascopeCpuWrite(va, 64);
	DmascopeDeviceWrite("snd0", (ULONG64)la.QuadPart, 64, NULL);
	DmascopeCpuRead(va, 64);
	DmascopeFreeCommonBuffer("snd0", Dma, 4096, la, va, TRUE);
	DmascopeKeFlushIoBuffers("nic0", Irp, Mdl, TRUE, TRUE);
	DmascopeAllocateAdapterChannel("nic0", Dma, Dev, 1, StubControl, NULL);
	la = DmascopeMapTransfer("nic0", Irp, Dma, Mdl, NULL, cur, &len, FALSE);
	DmascopeDeviceRead("nic0", (ULONG64)la.QuadPart, len);
	DmascopeDeviceDone("nic0", NULL);
	DmascopeFlushAdapterBuffers("nic0", Irp, Dma, Mdl, NULL, cur, len, FALSE);
	DmascopeFreeMapRegisters("nic0", Irp, Dma, NULL, 1);
	DmascopeFreeAdapterChannel("nic0", Irp, Dma);
	DmascopeMapTransferEx("disk0", Irp, Dma, Mdl, NULL, 0, 0, &len, TRUE, &sgl, sizeof(sgl),
			      NULL, NULL);
	DmascopeFlushAdapterBuffersEx("disk0", Irp, Dma, Mdl, NULL, 0, len, TRUE);
	DmascopeGetScatterGatherList("disk0", Dma, Dev, Mdl, cur, len, StubExecution, Mdl, FALSE);
	DmascopePutScatterGatherList("disk0", Irp, Dma, &sgl, FALSE);
	DmascopeMark("stub: done");
	DmascopeSequenceEnd("stub");
	DmascopeIoCompleteRequest("nic0", Irp, IO_NO_INCREMENT);
}

static VOID NTAPI StubUnload(PDRIVER_OBJECT DriverObject)
{
	(void)DriverObject;
	DmascopeEtwUnregister();
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	(void)RegistryPath;
	DriverObject->DriverUnload = StubUnload;
	DmascopeEtwRegister();
	if (DriverObject->DeviceObject != NULL) {   /* never: the stub makes no device */
		PDEVICE_OBJECT dev = DriverObject->DeviceObject;

		StubWorkload(dev, (PDMA_ADAPTER)dev->DeviceExtension, dev->CurrentIrp,
			     dev->CurrentIrp->MdlAddress);
	}
	return STATUS_SUCCESS;
}
