/* SPDX-License-Identifier: MIT */
/*
 * dmascope_etw_wrap.h - the wrappers of dmascope_etw.h (include that, not
 * this): one per DMA call dmascope models, each calling the real routine
 * through the adapter's DmaOperations and logging it after it returns,
 * with its real return value; plus the accesses and markers a driver or
 * its test harness knows of.  docs/capturing-windows.md lists what each
 * logs and what it costs.
 */
#ifndef DMASCOPE_ETW_WRAP_H
#define DMASCOPE_ETW_WRAP_H

/* ---- the MDL chain, as physically contiguous runs -------------------------- */

typedef struct _DMASCOPE_ETW_CHAIN {
	ULONG Count;                             /* runs filled */
	ULONG64 Phys[DMASCOPE_ETW_MAX_RUNS];     /* physical address of each run */
	ULONG Bytes[DMASCOPE_ETW_MAX_RUNS];      /* its length */
} DMASCOPE_ETW_CHAIN;

static __inline VOID DmascopeEtwChainAdd(DMASCOPE_ETW_CHAIN *C, ULONG64 Pa, ULONG N)
{
	if (C->Count != 0 && C->Phys[C->Count - 1] + C->Bytes[C->Count - 1] == Pa)
		C->Bytes[C->Count - 1] += N;
	else if (C->Count < DMASCOPE_ETW_MAX_RUNS) {
		C->Phys[C->Count] = Pa;
		C->Bytes[C->Count++] = N;
	}
}

/* Every page of every MDL of the chain starting at @Mdl, merged into runs. */
static __inline VOID DmascopeEtwDescribeChain(PMDL Mdl, DMASCOPE_ETW_CHAIN *C)
{
	C->Count = 0;
	for (; Mdl != NULL; Mdl = Mdl->Next) {
		PPFN_NUMBER pfn = MmGetMdlPfnArray(Mdl);
		ULONG off = MmGetMdlByteOffset(Mdl), left = MmGetMdlByteCount(Mdl);
		ULONG i;

		for (i = 0; left != 0; i++, off = 0) {
			ULONG n = PAGE_SIZE - off < left ? PAGE_SIZE - off : left;

			DmascopeEtwChainAdd(C, ((ULONG64)pfn[i] << PAGE_SHIFT) + off, n);
			left -= n;
		}
	}
}

/* The physical address at byte @At of the chain (0 past its end). */
static __inline ULONG64 DmascopeEtwChainPhys(const DMASCOPE_ETW_CHAIN *C, ULONG64 At)
{
	ULONG i;

	for (i = 0; i < C->Count; At -= C->Bytes[i], i++)
		if (At < C->Bytes[i])
			return C->Phys[i] + At;
	return 0;
}

/* CurrentVa as the offset FlushAdapterBuffersEx would take. */
static __inline ULONG64 DmascopeEtwOffset(PMDL Mdl, PVOID CurrentVa)
{
	return (ULONG64)((PUCHAR)CurrentVa - (PUCHAR)MmGetMdlVirtualAddress(Mdl));
}

static __inline ULONG64 DmascopeEtwPhys(PVOID Va)
{
	return Va != NULL ? (ULONG64)MmGetPhysicalAddress(Va).QuadPart : 0;
}

/* "<Call> dev=<Device> status=0x<Status>", for calls the schema has no event for. */
static __inline VOID DmascopeEtwMarkStatus(PCSTR Call, PCSTR Device, NTSTATUS Status)
{
	static const char hex[] = "0123456789ABCDEF";
	char text[128];
	ULONG n = 0, i;
	PCSTR parts[3];

	parts[0] = Call;        /* assigned, not initialized: MSVC's C4204 at /W4 */
	parts[1] = " dev=";
	parts[2] = Device;
	for (i = 0; i < 3; i++)
		for (PCSTR s = parts[i]; s != NULL && *s && n < sizeof(text) - 20; s++)
			text[n++] = *s;
	for (PCSTR s = " status=0x"; *s; s++)
		text[n++] = *s;
	for (i = 0; i < 8; i++)
		text[n++] = hex[((ULONG)Status >> (28 - 4 * i)) & 0xF];
	text[n] = 0;
	DmascopeEtwWrite_Mark(NULL, text);
}

/* ---- common buffers ----------------------------------------------------------- */

static __inline PVOID DmascopeAllocateCommonBuffer(PCSTR Device, PDMA_ADAPTER Dma, ULONG Length,
						   PPHYSICAL_ADDRESS LogicalAddress,
						   BOOLEAN CacheEnabled)
{
	PVOID va = Dma->DmaOperations->AllocateCommonBuffer(Dma, Length, LogicalAddress,
							    CacheEnabled);

	if (DmascopeEtwOn())
		DmascopeEtwWrite_AllocateCommonBuffer(NULL, Device, Length, CacheEnabled,
			va ? (ULONG64)LogicalAddress->QuadPart : 0, DmascopeEtwPhys(va), va);
	return va;
}

static __inline VOID DmascopeFreeCommonBuffer(PCSTR Device, PDMA_ADAPTER Dma, ULONG Length,
					      PHYSICAL_ADDRESS LogicalAddress, PVOID VirtualAddress,
					      BOOLEAN CacheEnabled)
{
	ULONG64 pa = DmascopeEtwOn() ? DmascopeEtwPhys(VirtualAddress) : 0;

	Dma->DmaOperations->FreeCommonBuffer(Dma, Length, LogicalAddress, VirtualAddress,
					     CacheEnabled);
	if (DmascopeEtwOn())
		DmascopeEtwWrite_FreeCommonBuffer(NULL, Device, Length,
						  (ULONG64)LogicalAddress.QuadPart, pa,
						  VirtualAddress, CacheEnabled);
}

/* ---- packet-based DMA ------------------------------------------------------------ */

/* KeFlushIoBuffers is a macro (empty on x86 and x64); logged for the MDL. */
static __inline VOID DmascopeKeFlushIoBuffers(PCSTR Device, PIRP Irp, PMDL Mdl,
					      BOOLEAN ReadOperation, BOOLEAN DmaOperation)
{
	KeFlushIoBuffers(Mdl, ReadOperation, DmaOperation);
	if (DmascopeEtwOn())
		DmascopeEtwWrite_KeFlushIoBuffers(NULL, Device, Irp, Mdl,
			((ULONG64)MmGetMdlPfnArray(Mdl)[0] << PAGE_SHIFT) + MmGetMdlByteOffset(Mdl),
			MmGetMdlByteCount(Mdl), ReadOperation, DmaOperation);
}

/* No event of its own: a Mark before the call, and one more when it fails. */
static __inline NTSTATUS DmascopeAllocateAdapterChannel(PCSTR Device, PDMA_ADAPTER Dma,
							PDEVICE_OBJECT DeviceObject,
							ULONG NumberOfMapRegisters,
							PDRIVER_CONTROL ExecutionRoutine,
							PVOID Context)
{
	NTSTATUS st;

	if (DmascopeEtwOn())
		DmascopeEtwMarkStatus("AllocateAdapterChannel", Device, 0);
	st = Dma->DmaOperations->AllocateAdapterChannel(Dma, DeviceObject, NumberOfMapRegisters,
							ExecutionRoutine, Context);
	if (!NT_SUCCESS(st) && DmascopeEtwOn())
		DmascopeEtwMarkStatus("AllocateAdapterChannel failed", Device, st);
	return st;
}

/* Version 2 calls, logged from what the driver passed and got back (a call
 * made elsewhere); the wrappers below call these. */
static __inline VOID DmascopeLogMapTransfer(PCSTR Device, PIRP Irp, PMDL Mdl,
					    PVOID MapRegisterBase, PVOID CurrentVa, ULONG Length,
					    BOOLEAN WriteToDevice, PHYSICAL_ADDRESS LogicalAddress)
{
	DMASCOPE_ETW_CHAIN c;

	if (!DmascopeEtwOn())
		return;
	DmascopeEtwDescribeChain(Mdl, &c);
	DmascopeEtwWrite_MapTransfer(NULL, Device, Irp, Mdl, MapRegisterBase,
				     DmascopeEtwOffset(Mdl, CurrentVa), Length, WriteToDevice,
				     c.Count, c.Phys, c.Bytes, (ULONG64)LogicalAddress.QuadPart);
}

static __inline VOID DmascopeLogFlushAdapterBuffers(PCSTR Device, PIRP Irp, PMDL Mdl,
						    PVOID MapRegisterBase, PVOID CurrentVa,
						    ULONG Length, BOOLEAN WriteToDevice,
						    BOOLEAN Result)
{
	DMASCOPE_ETW_CHAIN c;

	if (!DmascopeEtwOn())
		return;
	DmascopeEtwDescribeChain(Mdl, &c);
	DmascopeEtwWrite_FlushAdapterBuffers(NULL, Device, Irp, Mdl, MapRegisterBase,
					     DmascopeEtwOffset(Mdl, CurrentVa), Length,
					     WriteToDevice, c.Count, c.Phys, c.Bytes, Result);
}

/* Length: in, the bytes to map; out, the bytes mapped (what is logged). */
static __inline PHYSICAL_ADDRESS DmascopeMapTransfer(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma,
						     PMDL Mdl, PVOID MapRegisterBase,
						     PVOID CurrentVa, PULONG Length,
						     BOOLEAN WriteToDevice)
{
	PHYSICAL_ADDRESS la = Dma->DmaOperations->MapTransfer(Dma, Mdl, MapRegisterBase,
							      CurrentVa, Length, WriteToDevice);

	DmascopeLogMapTransfer(Device, Irp, Mdl, MapRegisterBase, CurrentVa, *Length,
			       WriteToDevice, la);
	return la;
}

static __inline BOOLEAN DmascopeFlushAdapterBuffers(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma,
						    PMDL Mdl, PVOID MapRegisterBase,
						    PVOID CurrentVa, ULONG Length,
						    BOOLEAN WriteToDevice)
{
	BOOLEAN ok = Dma->DmaOperations->FlushAdapterBuffers(Dma, Mdl, MapRegisterBase,
							     CurrentVa, Length, WriteToDevice);

	DmascopeLogFlushAdapterBuffers(Device, Irp, Mdl, MapRegisterBase, CurrentVa, Length,
				       WriteToDevice, ok);
	return ok;
}

/* Version 3 calls, logged from what the driver passed and got back (for a
 * DMA_OPERATIONS without them, or a caller that goes through WDF). */
static __inline VOID DmascopeLogMapTransferEx(PCSTR Device, PIRP Irp, PMDL Mdl,
					      PVOID MapRegisterBase, ULONG64 Offset,
					      ULONG Length, BOOLEAN WriteToDevice,
					      ULONG64 LogicalAddress, NTSTATUS Status)
{
	DMASCOPE_ETW_CHAIN c;

	if (!DmascopeEtwOn())
		return;
	DmascopeEtwDescribeChain(Mdl, &c);
	DmascopeEtwWrite_MapTransferEx(NULL, Device, Irp, Mdl, MapRegisterBase, Offset, Length,
				       WriteToDevice, c.Count, c.Phys, c.Bytes, LogicalAddress,
				       Status);
}

static __inline VOID DmascopeLogFlushAdapterBuffersEx(PCSTR Device, PIRP Irp, PMDL Mdl,
						      PVOID MapRegisterBase, ULONG64 Offset,
						      ULONG Length, BOOLEAN WriteToDevice,
						      NTSTATUS Status)
{
	DMASCOPE_ETW_CHAIN c;

	if (!DmascopeEtwOn())
		return;
	DmascopeEtwDescribeChain(Mdl, &c);
	DmascopeEtwWrite_FlushAdapterBuffersEx(NULL, Device, Irp, Mdl, MapRegisterBase, Offset,
					       Length, WriteToDevice, c.Count, c.Phys, c.Bytes,
					       Status);
}

#if DMASCOPE_ETW_DMA_V3
static __inline NTSTATUS DmascopeMapTransferEx(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma,
					       PMDL Mdl, PVOID MapRegisterBase, ULONG64 Offset,
					       ULONG DeviceOffset, PULONG Length,
					       BOOLEAN WriteToDevice,
					       PSCATTER_GATHER_LIST ScatterGatherBuffer,
					       ULONG ScatterGatherBufferLength,
					       PDMA_COMPLETION_ROUTINE DmaCompletionRoutine,
					       PVOID CompletionContext)
{
	NTSTATUS st = DMASCOPE_ETW_V3_OPS(Dma)->MapTransferEx(Dma, Mdl, MapRegisterBase, Offset,
		DeviceOffset, Length, WriteToDevice, ScatterGatherBuffer,
		ScatterGatherBufferLength, DmaCompletionRoutine, CompletionContext);
	ULONG64 la = NT_SUCCESS(st) && ScatterGatherBuffer->NumberOfElements != 0 ?
		(ULONG64)ScatterGatherBuffer->Elements[0].Address.QuadPart : 0;

	DmascopeLogMapTransferEx(Device, Irp, Mdl, MapRegisterBase, Offset, *Length,
				 WriteToDevice, la, st);
	return st;
}

static __inline NTSTATUS DmascopeFlushAdapterBuffersEx(PCSTR Device, PIRP Irp,
						       PDMA_ADAPTER Dma, PMDL Mdl,
						       PVOID MapRegisterBase, ULONG64 Offset,
						       ULONG Length, BOOLEAN WriteToDevice)
{
	NTSTATUS st = DMASCOPE_ETW_V3_OPS(Dma)->FlushAdapterBuffersEx(Dma, Mdl, MapRegisterBase,
		Offset, Length, WriteToDevice);

	DmascopeLogFlushAdapterBuffersEx(Device, Irp, Mdl, MapRegisterBase, Offset, Length,
					 WriteToDevice, st);
	return st;
}
#endif

/* ---- scatter-gather ------------------------------------------------------------------ */

/* Call first thing in the ExecutionRoutine GetScatterGatherList was given:
 * the list exists only from there.  Physical addresses come from the MDL. */
static __inline VOID DmascopeLogScatterGatherList(PCSTR Device, PIRP Irp, PMDL Mdl,
						  PVOID CurrentVa, ULONG Length,
						  BOOLEAN WriteToDevice,
						  PSCATTER_GATHER_LIST Sgl)
{
	ULONG64 phys[DMASCOPE_ETW_MAX_RUNS], bus[DMASCOPE_ETW_MAX_RUNS], start, pos;
	ULONG len[DMASCOPE_ETW_MAX_RUNS], i, n;
	DMASCOPE_ETW_CHAIN c;

	if (!DmascopeEtwOn())
		return;
	DmascopeEtwDescribeChain(Mdl, &c);
	start = pos = DmascopeEtwOffset(Mdl, CurrentVa);
	n = Sgl->NumberOfElements < DMASCOPE_ETW_MAX_RUNS ? Sgl->NumberOfElements :
							   DMASCOPE_ETW_MAX_RUNS;
	for (i = 0; i < n; pos += len[i], i++) {
		phys[i] = DmascopeEtwChainPhys(&c, pos);
		bus[i] = (ULONG64)Sgl->Elements[i].Address.QuadPart;
		len[i] = Sgl->Elements[i].Length;
	}
	DmascopeEtwWrite_GetScatterGatherList(NULL, Device, Irp, Mdl, Sgl, start, Length,
					      WriteToDevice, n, phys, bus, len, STATUS_SUCCESS);
}

/* The call itself: the list is logged by DmascopeLogScatterGatherList; a
 * failure (no list, the routine never runs) is a Mark. */
static __inline NTSTATUS DmascopeGetScatterGatherList(PCSTR Device, PDMA_ADAPTER Dma,
						      PDEVICE_OBJECT DeviceObject, PMDL Mdl,
						      PVOID CurrentVa, ULONG Length,
						      PDRIVER_LIST_CONTROL ExecutionRoutine,
						      PVOID Context, BOOLEAN WriteToDevice)
{
	NTSTATUS st = Dma->DmaOperations->GetScatterGatherList(Dma, DeviceObject, Mdl, CurrentVa,
		Length, ExecutionRoutine, Context, WriteToDevice);

	if (!NT_SUCCESS(st) && DmascopeEtwOn())
		DmascopeEtwMarkStatus("GetScatterGatherList failed", Device, st);
	return st;
}

static __inline VOID DmascopePutScatterGatherList(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma,
						  PSCATTER_GATHER_LIST Sgl, BOOLEAN WriteToDevice)
{
	Dma->DmaOperations->PutScatterGatherList(Dma, Sgl, WriteToDevice);
	if (DmascopeEtwOn())
		DmascopeEtwWrite_PutScatterGatherList(NULL, Device, Irp, Sgl, WriteToDevice);
}

/* ---- releasing, completing ---------------------------------------------------------- */

static __inline VOID DmascopeFreeMapRegisters(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma,
					      PVOID MapRegisterBase, ULONG NumberOfMapRegisters)
{
	Dma->DmaOperations->FreeMapRegisters(Dma, MapRegisterBase, NumberOfMapRegisters);
	if (DmascopeEtwOn())
		DmascopeEtwWrite_FreeMapRegisters(NULL, Device, Irp, MapRegisterBase,
						  NumberOfMapRegisters);
}

static __inline VOID DmascopeFreeAdapterChannel(PCSTR Device, PIRP Irp, PDMA_ADAPTER Dma)
{
	Dma->DmaOperations->FreeAdapterChannel(Dma);
	if (DmascopeEtwOn())
		DmascopeEtwWrite_FreeAdapterChannel(NULL, Device, Irp);
}

/* Logged before the call: the IRP is gone after it. */
static __inline VOID DmascopeIoCompleteRequest(PCSTR Device, PIRP Irp, CCHAR PriorityBoost)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_IoCompleteRequest(NULL, Device, Irp, Irp->IoStatus.Status,
						   (ULONG64)Irp->IoStatus.Information);
	IoCompleteRequest(Irp, PriorityBoost);
}

/* ---- accesses and markers (the Linux marker lines' counterparts) --------------------- */

/* cpu_read: the CPU read Length bytes at Va (logged on the current processor). */
static __inline VOID DmascopeCpuRead(PVOID Va, ULONG Length)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_CpuRead(NULL, DmascopeEtwPhys(Va), Length);
}

/* cpu_write: the CPU wrote Length bytes at Va; the bytes are logged too. */
static __inline VOID DmascopeCpuWrite(PVOID Va, ULONG Length)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_CpuWrite(NULL, DmascopeEtwPhys(Va), Length, Va);
}

/* dev_read / dev_write / dev_done: what the device did, at its (bus) address.
 * Data may be NULL (the bytes are not known: dmascope makes some up). */
static __inline VOID DmascopeDeviceRead(PCSTR Device, ULONG64 LogicalAddress, ULONG Length)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_DeviceRead(NULL, Device, LogicalAddress, Length);
}

static __inline VOID DmascopeDeviceWrite(PCSTR Device, ULONG64 LogicalAddress, ULONG Length,
					 const VOID *Data)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_DeviceWrite(NULL, Device, LogicalAddress, Length, Data);
}

/* MapRegisterBase: the transfer's base or scatter-gather list; (PVOID)-1 = all. */
static __inline VOID DmascopeDeviceDone(PCSTR Device, PVOID MapRegisterBase)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_DeviceDone(NULL, Device, MapRegisterBase);
}

/* seq begin id=Name / seq end id=Name, and a free-text mark. */
static __inline VOID DmascopeSequenceBegin(PCSTR Name)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_SequenceBegin(NULL, Name);
}

static __inline VOID DmascopeSequenceEnd(PCSTR Name)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_SequenceEnd(NULL, Name);
}

static __inline VOID DmascopeMark(PCSTR Text)
{
	if (DmascopeEtwOn())
		DmascopeEtwWrite_Mark(NULL, Text);
}

#endif
