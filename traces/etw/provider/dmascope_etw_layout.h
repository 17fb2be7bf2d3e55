/* SPDX-License-Identifier: MIT */
/*
 * dmascope_etw_layout.h - the events of the Dmascope.Dma ETW provider and
 * their fields, in logging order, as one X-macro table.
 *
 * This file includes nothing and declares nothing: it is plain preprocessor
 * text, so the kernel-mode header (dmascope_etw.h) builds each event's
 * payload from it, and the Linux tests (tests/test_etw_provider.c) compare
 * it with the readers' schema (traces/etw/etw_schema.c) and with the
 * instrumentation manifest (Dmascope.Dma.man), field by field.
 *
 * DMASCOPE_ETW_EVENTS(EV) calls EV(id, Name) for every event: id is the
 * manifest's event value (and task value), Name the event and task name.
 * DMASCOPE_ETW_F_<Name>(F) calls F(Field, TYPE) for every field of the
 * event, where TYPE is one of
 *
 *   STR       win:AnsiString, NUL-terminated
 *   U32       win:UInt32
 *   U64       win:UInt64
 *   HEX64     win:UInt64, shown as win:HexInt64
 *   PTR       win:Pointer
 *   BOOL      win:Boolean (4 bytes)
 *   NTSTATUS  win:UInt32, shown as win:NTSTATUS
 *   BIN       win:Binary, as many bytes as the UInt32 field before it says
 *   A_HEX64   win:UInt64 array (win:HexInt64), as many as the UInt32 before it
 *   A_U32     win:UInt32 array, as many as the UInt32 before it
 *
 * The UInt32 just before an array or binary field is its count or length
 * (MdlCount, ElementCount, Length): the manifest's count= and length=.
 */
#ifndef DMASCOPE_ETW_LAYOUT_H
#define DMASCOPE_ETW_LAYOUT_H

#define DMASCOPE_ETW_EVENTS(EV)                                            \
	EV(1, AllocateCommonBuffer)                                        \
	EV(2, FreeCommonBuffer)                                            \
	EV(3, KeFlushIoBuffers)                                            \
	EV(4, MapTransfer)                                                 \
	EV(5, MapTransferEx)                                               \
	EV(6, FlushAdapterBuffers)                                         \
	EV(7, FlushAdapterBuffersEx)                                       \
	EV(8, GetScatterGatherList)                                        \
	EV(9, PutScatterGatherList)                                        \
	EV(10, FreeMapRegisters)                                           \
	EV(11, FreeAdapterChannel)                                         \
	EV(12, IoCompleteRequest)                                          \
	EV(13, CpuRead)                                                    \
	EV(14, CpuWrite)                                                   \
	EV(15, DeviceRead)                                                 \
	EV(16, DeviceWrite)                                                \
	EV(17, DeviceDone)                                                 \
	EV(18, Mark)                                                       \
	EV(19, SequenceBegin)                                              \
	EV(20, SequenceEnd)

/* A packet-based transfer: the call's arguments, then the MDL chain. */
#define DMASCOPE_ETW_TRANSFER_HEAD(F, Base)                                \
	F(Device, STR) F(Irp, PTR) F(Mdl, PTR) F(Base, PTR)                \
	F(Offset, U64) F(Length, U32) F(WriteToDevice, BOOL)
#define DMASCOPE_ETW_MDL_CHAIN(F)                                          \
	F(MdlCount, U32) F(MdlPhysicalAddress, A_HEX64) F(MdlByteCount, A_U32)

#define DMASCOPE_ETW_F_AllocateCommonBuffer(F)                             \
	F(Device, STR) F(Length, U32) F(CacheEnabled, BOOL)                \
	F(LogicalAddress, HEX64) F(PhysicalAddress, HEX64) F(VirtualAddress, PTR)
#define DMASCOPE_ETW_F_FreeCommonBuffer(F)                                 \
	F(Device, STR) F(Length, U32) F(LogicalAddress, HEX64)             \
	F(PhysicalAddress, HEX64) F(VirtualAddress, PTR) F(CacheEnabled, BOOL)
#define DMASCOPE_ETW_F_KeFlushIoBuffers(F)                                 \
	F(Device, STR) F(Irp, PTR) F(Mdl, PTR) F(PhysicalAddress, HEX64)   \
	F(ByteCount, U32) F(ReadOperation, BOOL) F(DmaOperation, BOOL)
#define DMASCOPE_ETW_F_MapTransfer(F)                                      \
	DMASCOPE_ETW_TRANSFER_HEAD(F, MapRegisterBase)                     \
	DMASCOPE_ETW_MDL_CHAIN(F) F(LogicalAddress, HEX64)
#define DMASCOPE_ETW_F_MapTransferEx(F)                                    \
	DMASCOPE_ETW_TRANSFER_HEAD(F, MapRegisterBase)                     \
	DMASCOPE_ETW_MDL_CHAIN(F) F(LogicalAddress, HEX64) F(Status, NTSTATUS)
#define DMASCOPE_ETW_F_FlushAdapterBuffers(F)                              \
	DMASCOPE_ETW_TRANSFER_HEAD(F, MapRegisterBase)                     \
	DMASCOPE_ETW_MDL_CHAIN(F) F(Result, BOOL)
#define DMASCOPE_ETW_F_FlushAdapterBuffersEx(F)                            \
	DMASCOPE_ETW_TRANSFER_HEAD(F, MapRegisterBase)                     \
	DMASCOPE_ETW_MDL_CHAIN(F) F(Status, NTSTATUS)
#define DMASCOPE_ETW_F_GetScatterGatherList(F)                             \
	DMASCOPE_ETW_TRANSFER_HEAD(F, ScatterGatherList)                   \
	F(ElementCount, U32) F(ElementPhysicalAddress, A_HEX64)            \
	F(ElementLogicalAddress, A_HEX64) F(ElementLength, A_U32) F(Status, NTSTATUS)
#define DMASCOPE_ETW_F_PutScatterGatherList(F)                             \
	F(Device, STR) F(Irp, PTR) F(ScatterGatherList, PTR) F(WriteToDevice, BOOL)
#define DMASCOPE_ETW_F_FreeMapRegisters(F)                                 \
	F(Device, STR) F(Irp, PTR) F(MapRegisterBase, PTR) F(NumberOfMapRegisters, U32)
#define DMASCOPE_ETW_F_FreeAdapterChannel(F)                               \
	F(Device, STR) F(Irp, PTR)
#define DMASCOPE_ETW_F_IoCompleteRequest(F)                                \
	F(Device, STR) F(Irp, PTR) F(Status, NTSTATUS) F(Information, U64)
#define DMASCOPE_ETW_F_CpuRead(F)                                          \
	F(PhysicalAddress, HEX64) F(Length, U32)
#define DMASCOPE_ETW_F_CpuWrite(F)                                         \
	F(PhysicalAddress, HEX64) F(Length, U32) F(Data, BIN)
#define DMASCOPE_ETW_F_DeviceRead(F)                                       \
	F(Device, STR) F(LogicalAddress, HEX64) F(Length, U32)
#define DMASCOPE_ETW_F_DeviceWrite(F)                                      \
	F(Device, STR) F(LogicalAddress, HEX64) F(Length, U32) F(Data, BIN)
#define DMASCOPE_ETW_F_DeviceDone(F)                                       \
	F(Device, STR) F(MapRegisterBase, PTR)
#define DMASCOPE_ETW_F_Mark(F)                                             \
	F(Text, STR)
#define DMASCOPE_ETW_F_SequenceBegin(F)                                    \
	F(Name, STR)
#define DMASCOPE_ETW_F_SequenceEnd(F)                                      \
	F(Name, STR)

/* Event Name's fields, through F: DMASCOPE_ETW_FIELDS(MapTransfer, F). */
#define DMASCOPE_ETW_FIELDS(Name, F) DMASCOPE_ETW_F_##Name(F)

#endif
