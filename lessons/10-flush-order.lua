-- Lesson 10: where the adapter flush goes: not before the device finished
-- the transfer, and before the map registers are freed and the IRP is
-- completed (flush, FreeMapRegisters, IoCompleteRequest).  Source: the
-- FlushAdapterBuffersEx reference page (PFLUSH_ADAPTER_BUFFERS_EX) and
-- "Flushing Cached Data during DMA Operations".  Samples:
-- traces/samples/premature-flush and complete-before-flush (.bug and .ok).
local RX, HALF = 0x500000, 256         -- the DSP's buffer: two halves
local TX, TXLEN = 0x900000, 1024       -- the network card's frame
local WIN = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "x86"}

local v3 = dma.platform("nt-v3")
v3:device("dsp", {signals_done = 1})   -- its transfers end with an interrupt: dev_done
local bm = dma.platform("nt-busmaster")
bm:device("nic", {P = 0})              -- no posted writes: only the order can be wrong
bm:device("disk")

-- a DSP reads 512 bytes; the driver calls FlushAdapterBuffersEx at place
-- `at`: 1 after MapTransferEx, 2 after the first half, 3 after dev_done,
-- 4 after IoCompleteRequest
local function dsp_read(at)
  local s = dma.sim(v3)
  local function flush(here)
    if here == at then
      s:FlushAdapterBuffersEx{dev = "dsp", seg = {RX, false, 2 * HALF}, len = 2 * HALF,
                              handle = 0x30, irp = 4, WriteToDevice = false}
    end
  end
  s:MapTransferEx{dev = "dsp", seg = {RX, false, 2 * HALF}, len = 2 * HALF, handle = 0x30,
                  irp = 4, WriteToDevice = false}
  flush(1)
  s:dev_write{dev = "dsp", addr = RX, len = HALF, data = string.rep("aa", HALF)}
  flush(2)
  s:dev_write{dev = "dsp", addr = RX + HALF, len = HALF, data = string.rep("bb", HALF)}
  s:dev_done{dev = "dsp", handle = 0x30}
  flush(3)
  s:FreeMapRegisters{dev = "dsp", handle = 0x30}
  s:IoCompleteRequest{irp = 4, status = "STATUS_SUCCESS"}
  flush(4)
  s:cpu_read{addr = RX, len = 2 * HALF}
  return s
end

-- the end of a transfer in the order given: F flush, R FreeMapRegisters,
-- C IoCompleteRequest
local function finish(s, dev, addr, len, to_device, order)
  local calls = {
    F = function()
      s:FlushAdapterBuffers{dev = dev, seg = {addr, false, len}, len = len, handle = 0x50,
                            irp = 6, WriteToDevice = to_device}
    end,
    R = function() s:FreeMapRegisters{dev = dev, handle = 0x50} end,
    C = function() s:IoCompleteRequest{irp = 6, status = "STATUS_SUCCESS"} end,
  }
  for c in order:gmatch(".") do calls[c]() end
end

-- the network card sends a frame
local function nic_send(order)
  local s = dma.sim(bm)
  s:cpu_write{addr = TX, len = TXLEN, data = string.rep("c3", TXLEN)}
  s:KeFlushIoBuffers{dev = "nic", seg = {TX, false, TXLEN}, ReadOperation = false,
                     DmaOperation = true}
  s:MapTransfer{dev = "nic", seg = {TX, false, TXLEN}, len = TXLEN, handle = 0x50, irp = 6,
                WriteToDevice = true}
  s:dev_read{dev = "nic", addr = TX, len = TXLEN}
  finish(s, "nic", TX, TXLEN, true, order)
  return s
end

-- the disk reads 1000 bytes (posted writes, P=32), then the CPU reads them
local function disk_read(order)
  local s = dma.sim(bm)
  s:KeFlushIoBuffers{dev = "disk", seg = {TX, false, 1000}, ReadOperation = true,
                     DmaOperation = true}
  s:MapTransfer{dev = "disk", seg = {TX, false, 1000}, len = 1000, handle = 0x50, irp = 6,
                WriteToDevice = false}
  s:dev_write{dev = "disk", addr = TX, len = 1000, data = string.rep("5a", 1000)}
  finish(s, "disk", TX, 1000, false, order)
  s:cpu_read{addr = TX, len = 1000}
  return s
end

-- the choice (1-based) whose run gives no error finding
local function clean_one(n, run)
  for i = 1, n do
    if #run(i):errors() == 0 then return i end
  end
end

local ORDERS = {"CRF", "RFC", "FRC"}

local bug

return {
  id = "flush-order",
  order = 10,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "busmaster-flush"},
  title = {
    en = "When to flush: after the transfer, before the IRP completes",
    ru = "Когда очищать: после передачи, до завершения IRP",
    zh = "何时刷新：传输结束之后，IRP 完成之前",
  },
  teaches = {
    en = "The adapter flush belongs after the device finished the transfer (a flush before that may cut it short) and before the map registers are freed and the IRP completed: flush, FreeMapRegisters, IoCompleteRequest.",
    ru = "Очистка адаптера выполняется после того, как устройство закончило передачу (более ранняя может её прервать), и до освобождения регистров отображения и завершения IRP: очистка, FreeMapRegisters, IoCompleteRequest.",
    zh = "适配器刷新应在设备完成传输之后进行（过早刷新可能中断传输），并在释放映射寄存器和完成 IRP 之前：刷新、FreeMapRegisters、IoCompleteRequest。",
  },
  steps = {
    { narrate = {
        en = "The FlushAdapterBuffersEx page gives the flush two limits. The driver should call it before it completes the IRP and before it frees the map registers. Called before the DMA transfer finishes, it might cancel the transfer before it can finish.",
        ru = "Страница FlushAdapterBuffersEx задаёт очистке две границы. Драйвер должен вызвать её до завершения IRP и до освобождения регистров отображения. Вызов до окончания передачи DMA может отменить передачу, не дав ей завершиться.",
        zh = "FlushAdapterBuffersEx 参考页为刷新规定了两个界限。驱动程序应在完成 IRP 之前、释放映射寄存器之前调用它。如果在 DMA 传输完成之前调用，它可能会在传输完成前取消传输。",
    } },
    { run = function() bug = dsp_read(2) return bug end,
      say = {
        en = "On nt-v3 a DSP writes 512 bytes: 0xaa, then 0xbb. It signals the end of a transfer with an interrupt (dev_done). The driver calls FlushAdapterBuffersEx as soon as the first half is in.",
        ru = "На nt-v3 DSP записывает 512 байтов: 0xaa, затем 0xbb. Об окончании передачи он сообщает прерыванием (dev_done). Драйвер вызывает FlushAdapterBuffersEx, как только пришла первая половина.",
        zh = "在 nt-v3 上，DSP 写入 512 字节：先是 0xaa，然后是 0xbb。它用中断（dev_done）通知传输结束。驱动程序在前一半到达时就调用了 FlushAdapterBuffersEx。",
    } },
    { predict = {
        en = "Which byte does the driver read at the start of the second half (offset 0x100)?",
        ru = "Какой байт драйвер читает в начале второй половины (смещение 0x100)?",
        zh = "驱动程序在后一半的开头（偏移 0x100）读到哪个字节？",
      },
      answer = 0x00,
      verify = function() return bug:cpu_byte(RX + HALF) end,
      explain = {
        en = "0x00: the flush ended the transfer, and the DSP's later writes were lost. The 0xbb bytes never reached memory.",
        ru = "0x00: очистка завершила передачу, и последующие записи DSP потеряны. Байты 0xbb так и не попали в память.",
        zh = "0x00：刷新结束了传输，DSP 之后的写入丢失了。0xbb 字节从未到达内存。",
    } },
    { expect = {"DC005"} },
    { predict = {
        en = "Where does FlushAdapterBuffersEx belong?",
        ru = "Где должен стоять вызов FlushAdapterBuffersEx?",
        zh = "FlushAdapterBuffersEx 应该在哪里调用？",
      },
      choices = {
        { en = "Right after MapTransferEx", ru = "Сразу после MapTransferEx", zh = "紧接在 MapTransferEx 之后" },
        { en = "When the first half has arrived", ru = "Когда пришла первая половина", zh = "前一半到达时" },
        { en = "In the DPC, after the device's interrupt (dev_done)", ru = "В DPC, после прерывания устройства (dev_done)", zh = "在 DPC 中，设备中断（dev_done）之后" },
        { en = "After IoCompleteRequest", ru = "После IoCompleteRequest", zh = "在 IoCompleteRequest 之后" },
      },
      answer = 3,
      verify = function() return clean_one(4, dsp_read) end,
      explain = {
        en = "After the device said it is done, and before FreeMapRegisters and IoCompleteRequest. Earlier it cuts the transfer short (DC005); later the IRP is completed unflushed (DC008) and the CPU reads stale lines (DC001).",
        ru = "После того как устройство сообщило об окончании, и до FreeMapRegisters и IoCompleteRequest. Раньше — передача обрывается (DC005); позже — IRP завершается без очистки (DC008), и процессор читает устаревшие строки кэша (DC001).",
        zh = "在设备表示完成之后、FreeMapRegisters 和 IoCompleteRequest 之前。过早会截断传输（DC005）；过晚则 IRP 在未刷新时完成（DC008），处理器读到陈旧的缓存行（DC001）。",
    } },
    { run = function() return dsp_read(3) end,
      say = {
        en = "Fixed: the driver flushes in its DPC, after dev_done.",
        ru = "Исправлено: драйвер выполняет очистку в DPC, после dev_done.",
        zh = "修正：驱动程序在 DPC 中、dev_done 之后刷新。",
    } },
    { expect = {} },
    { omissions = {
        { call = "MapTransferEx", gives = {"DC011"} },
        { call = "FlushAdapterBuffersEx", gives = {"DC001", "DC008"} },
      },
      say = {
        en = "Without FlushAdapterBuffersEx the IRP completes unflushed (DC008) and the CPU reads stale lines (DC001); without MapTransferEx the DSP writes unmapped bytes (DC011).",
        ru = "Без FlushAdapterBuffersEx IRP завершается без очистки (DC008), и процессор читает устаревшие строки кэша (DC001); без MapTransferEx DSP пишет в неотображённые байты (DC011).",
        zh = "没有 FlushAdapterBuffersEx，IRP 在未刷新时完成（DC008），处理器读到陈旧的缓存行（DC001）；没有 MapTransferEx，DSP 写入的是未映射的字节（DC011）。",
    } },
    { run = function() bug = nic_send("CRF") return bug end,
      say = {
        en = "Now the other limit. On nt-busmaster a network card without posted writes (P=0) sends a 1024-byte frame. The driver completes the IRP, frees the map registers, and only then calls FlushAdapterBuffers.",
        ru = "Теперь вторая граница. На nt-busmaster сетевая карта без отложенной записи (P=0) отправляет кадр из 1024 байтов. Драйвер завершает IRP, освобождает регистры отображения и только потом вызывает FlushAdapterBuffers.",
        zh = "再看另一个界限。在 nt-busmaster 上，一块没有延迟写入（P=0）的网卡发送 1024 字节的帧。驱动程序先完成 IRP、释放映射寄存器，然后才调用 FlushAdapterBuffers。",
    } },
    { predict = {
        en = "The engine reports DC008 at IoCompleteRequest. Which call does it name as missing there?",
        ru = "Движок сообщает DC008 при IoCompleteRequest. Какой вызов он называет пропущенным?",
        zh = "引擎在 IoCompleteRequest 处报告 DC008。它指出那里缺少哪个调用？",
      },
      choices = {"KeFlushIoBuffers", "MapTransfer", "FlushAdapterBuffers", "FreeMapRegisters"},
      answer = 3,
      verify = function() return bug:findings()[1].omitted end,
      explain = {
        en = "FlushAdapterBuffers: it is called, but too late. A flush after the IRP was completed and the map registers freed does not count; nothing says which bytes it covers any more.",
        ru = "FlushAdapterBuffers: он вызван, но слишком поздно. Очистка после завершения IRP и освобождения регистров отображения не засчитывается: уже неизвестно, какие байты она охватывает.",
        zh = "FlushAdapterBuffers：它被调用了，但太晚了。在 IRP 完成、映射寄存器释放之后的刷新不算数：已无法知道它覆盖哪些字节。",
    } },
    { expect = {"DC008"} },
    { predict = {
        en = "In which order should the transfer end?",
        ru = "В каком порядке должна завершаться передача?",
        zh = "传输应按什么顺序结束？",
      },
      choices = {
        "IoCompleteRequest, FreeMapRegisters, FlushAdapterBuffers",
        "FreeMapRegisters, FlushAdapterBuffers, IoCompleteRequest",
        "FlushAdapterBuffers, FreeMapRegisters, IoCompleteRequest",
      },
      answer = 3,
      verify = function()
        return clean_one(#ORDERS, function(i) return nic_send(ORDERS[i]) end)
      end,
      explain = {
        en = "Flush first, then free the map registers, then complete the IRP. No byte is lost here (P=0): the order alone is the bug, and the engine reports it.",
        ru = "Сначала очистка, затем освобождение регистров отображения, затем завершение IRP. Здесь ни один байт не теряется (P=0): ошибка только в порядке, и движок о ней сообщает.",
        zh = "先刷新，再释放映射寄存器，最后完成 IRP。这里没有丢失任何字节（P=0）：错误仅在于顺序，引擎照样报告它。",
    } },
    { run = function() return nic_send("FRC") end,
      say = {
        en = "Fixed: FlushAdapterBuffers, FreeMapRegisters, IoCompleteRequest.",
        ru = "Исправлено: FlushAdapterBuffers, FreeMapRegisters, IoCompleteRequest.",
        zh = "修正：FlushAdapterBuffers、FreeMapRegisters、IoCompleteRequest。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC002"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", gives = {"DC008"} },
      },
      say = {
        en = "Without KeFlushIoBuffers the card reads the frame from stale memory (DC002); without FlushAdapterBuffers the transfer ends unflushed (DC008).",
        ru = "Без KeFlushIoBuffers карта читает кадр из устаревшей памяти (DC002); без FlushAdapterBuffers передача завершается без очистки (DC008).",
        zh = "没有 KeFlushIoBuffers，网卡从陈旧的内存中读取帧（DC002）；没有 FlushAdapterBuffers，传输在未刷新时结束（DC008）。",
    } },
    { predict = {
        en = "A disk driver makes the same mistake on a read of 1000 bytes (device to memory). On which platforms does the CPU then read wrong bytes?",
        ru = "Драйвер диска делает ту же ошибку при чтении 1000 байтов (из устройства в память). На каких платформах процессор затем читает неверные байты?",
        zh = "磁盘驱动程序在读取 1000 字节（设备到内存）时犯了同样的错误。在哪些平台上处理器随后会读到错误的字节？",
      },
      choices = WIN,
      answer = {1, 2, 3},
      verify = function()
        local s, wrong = disk_read("CRF"), {}
        for _, name in ipairs(WIN) do
          if s:on(name):stale_reads() > 0 then wrong[#wrong + 1] = name end
        end
        return wrong
      end,
      explain = {
        en = "Wherever the adapter holds bytes until the flush: the controller's tail (1000 is not a multiple of 16), the posted writes, the map buffer. On x86 no byte is wrong, yet the engine still reports the order (DC008).",
        ru = "Везде, где адаптер держит байты до очистки: хвост в контроллере (1000 не кратно 16), отложенная запись, промежуточный буфер. На x86 все байты верны, но движок всё равно сообщает о порядке (DC008).",
        zh = "凡是适配器在刷新前保留字节的平台：控制器中的剩余字节（1000 不是 16 的整数倍）、延迟写入、映射缓冲区。在 x86 上字节都正确，但引擎仍然报告顺序错误（DC008）。",
    } },
  },
}
