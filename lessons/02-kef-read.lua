-- Lesson 2: DMA into a cached buffer without KeFlushIoBuffers: the CPU
-- reads stale bytes.  Source: "Flushing Cached Data during DMA Operations"
-- (Windows, DMA interface versions 1 and 2), the read case.
local BUF, LEN = 0x400000, 256
local plat = dma.platform("nt-busmaster")
plat:device("nic")

-- the driver's read, with or without KeFlushIoBuffers before the transfer
local function scenario(flush)
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}  -- old contents
  s:evict{addr = BUF, len = LEN}                                    -- written back
  s:cpu_read{addr = BUF, len = LEN}                                 -- cached, clean
  if flush then
    s:KeFlushIoBuffers{dev = "nic", seg = {BUF, false, LEN},
                       ReadOperation = true, DmaOperation = true}
  end
  s:MapTransfer{dev = "nic", seg = {BUF, false, LEN}, len = LEN, handle = 0x10,
                irp = 1, WriteToDevice = false}
  s:dev_write{dev = "nic", addr = BUF, len = LEN, data = string.rep("55", LEN)}
  s:FlushAdapterBuffers{dev = "nic", seg = {BUF, false, LEN}, len = LEN, handle = 0x10,
                        irp = 1, WriteToDevice = false}
  s:FreeMapRegisters{dev = "nic", handle = 0x10}
  s:IoCompleteRequest{irp = 1, status = "STATUS_SUCCESS"}
  s:cpu_read{addr = BUF, len = LEN}
  return s
end

local bug, fixed

return {
  id = "kef-read",
  order = 2,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache"},
  title = {
    en = "DMA into a cached buffer without KeFlushIoBuffers",
    ru = "DMA в кэшированный буфер без KeFlushIoBuffers",
    zh = "不调用 KeFlushIoBuffers 时 DMA 写入已缓存的缓冲区",
  },
  teaches = {
    en = "The CPU reads stale bytes from its cache after a device-to-memory transfer unless KeFlushIoBuffers(ReadOperation=TRUE) ran before the transfer.",
    ru = "После передачи из устройства в память процессор читает устаревшие данные из своего кэша, если перед передачей не был вызван KeFlushIoBuffers (ReadOperation=TRUE).",
    zh = "设备到内存的传输之后，除非在传输之前调用了 KeFlushIoBuffers (ReadOperation=TRUE)，处理器会从其缓存中读到陈旧数据。",
  },
  steps = {
    { narrate = {
        en = "A bus-master network card on a platform whose caches are not kept coherent with DMA. The driver's buffer holds 0xaa bytes, and the driver has just read it: the CPU cache now holds clean copies of those lines.",
        ru = "Сетевая карта DMA master шины на платформе, где кэш не поддерживается согласованным с DMA автоматически. Буфер драйвера содержит байты 0xaa, и драйвер только что прочитал его: в кэше процессора теперь лежат чистые копии этих строк.",
        zh = "一块总线主控 DMA 网卡，所在平台不会自动维护缓存与 DMA 的一致性。驱动程序的缓冲区中是 0xaa 字节，驱动程序刚刚读过它：处理器缓存中现在有这些缓存行的干净副本。",
    } },
    { run = function() bug = scenario(false) return bug end,
      say = {
        en = "The driver maps the buffer (MapTransfer, WriteToDevice=FALSE), the card writes 0x55 bytes into memory, the driver calls FlushAdapterBuffers, completes the IRP and reads the buffer. It never called KeFlushIoBuffers.",
        ru = "Драйвер отображает буфер (MapTransfer, WriteToDevice=FALSE), карта записывает в память байты 0x55, драйвер вызывает FlushAdapterBuffers, завершает IRP и читает буфер. KeFlushIoBuffers он не вызвал.",
        zh = "驱动程序映射缓冲区（MapTransfer，WriteToDevice=FALSE），网卡将 0x55 字节写入内存，驱动程序调用 FlushAdapterBuffers，完成 IRP 并读取缓冲区。它从未调用 KeFlushIoBuffers。",
    } },
    { predict = {
        en = "Which byte does the driver's last read return at the start of the buffer?",
        ru = "Какой байт вернёт последнее чтение драйвера в начале буфера?",
        zh = "驱动程序最后一次读取在缓冲区开头返回哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:cpu_byte(BUF) end,
      explain = {
        en = "0xaa: the asynchronous DMA write went to memory, not to the processor cache. The CPU still holds its clean copy of the old line and reads it; memory holds 0x55.",
        ru = "0xaa: асинхронная операция DMA записала данные в память, а не в кэш процессора. В кэше осталась чистая копия старой строки, и процессор читает её; в памяти лежит 0x55.",
        zh = "0xaa：异步 DMA 写入操作访问的是内存，而不是处理器缓存。处理器仍保留旧缓存行的干净副本并读取它；内存中是 0x55。",
    } },
    { expect = {"DC001"} },
    { narrate = function()
        return {
          en = ("The engine calls it DC001, stale-cpu-read: the CPU saw 0x%02x where memory holds 0x%02x."):format(bug:cpu_byte(BUF), bug:mem_byte(BUF)),
          ru = ("Движок называет это DC001, stale-cpu-read: процессор увидел 0x%02x, а в памяти 0x%02x."):format(bug:cpu_byte(BUF), bug:mem_byte(BUF)),
          zh = ("引擎称之为 DC001，stale-cpu-read：处理器看到 0x%02x，而内存中是 0x%02x。"):format(bug:cpu_byte(BUF), bug:mem_byte(BUF)),
        }
      end },
    { predict = {
        en = "Which call, made before the transfer, would have prevented it?",
        ru = "Какой вызов перед началом передачи предотвратил бы это?",
        zh = "在传输开始之前调用哪个例程可以避免这种情况？",
      },
      choices = {"FlushAdapterBuffers", "KeFlushIoBuffers", "FreeMapRegisters", "IoCompleteRequest"},
      answer = 2,
      explain = {
        en = "KeFlushIoBuffers(ReadOperation=TRUE) before the transfer: it flushes and invalidates the buffer's lines, so the read after the transfer comes from memory. FlushAdapterBuffers does no cache maintenance.",
        ru = "KeFlushIoBuffers (ReadOperation=TRUE) перед началом передачи: он сбрасывает и удаляет строки буфера из кэша, и чтение после передачи идёт из памяти. FlushAdapterBuffers не обслуживает кэш.",
        zh = "在传输之前调用 KeFlushIoBuffers (ReadOperation=TRUE)：它刷新缓冲区的缓存行并使其无效，传输之后的读取就来自内存。FlushAdapterBuffers 不维护处理器缓存。",
    } },
    { run = function() fixed = scenario(true) return fixed end,
      say = {
        en = "The same driver, with KeFlushIoBuffers before MapTransfer.",
        ru = "Тот же драйвер, с вызовом KeFlushIoBuffers перед MapTransfer.",
        zh = "同一个驱动程序，在 MapTransfer 之前调用 KeFlushIoBuffers。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC001"} },
        { call = "FlushAdapterBuffers", gives = {"DC001", "DC004"} },
      },
      say = {
        en = "Leave each call out in turn. Without KeFlushIoBuffers the stale line is read (DC001). Without FlushAdapterBuffers the last bytes stay in the adapter's posted-write buffer (DC004) and the CPU reads old memory there (DC001): FlushAdapterBuffers is owed at the end of each transfer of the IRP.",
        ru = "Уберите по очереди каждый вызов. Без KeFlushIoBuffers читается устаревшая строка кэша (DC001). Без FlushAdapterBuffers последние байты остаются в буфере адаптера (DC004), и процессор читает там старую память (DC001): FlushAdapterBuffers нужно вызывать в конце каждой операции передачи для IRP.",
        zh = "依次去掉每个调用。没有 KeFlushIoBuffers，读到的是陈旧的缓存行（DC001）。没有 FlushAdapterBuffers，最后的字节留在适配器的缓冲区中（DC004），处理器在那里读到旧内存（DC001）：必须在 IRP 的每个传输操作结束时调用 FlushAdapterBuffers。",
    } },
    { predict = {
        en = "On which platforms does the driver without KeFlushIoBuffers read stale bytes?",
        ru = "На каких платформах драйвер без KeFlushIoBuffers читает устаревшие данные?",
        zh = "在哪些平台上，不调用 KeFlushIoBuffers 的驱动程序会读到陈旧数据？",
      },
      choices = {"nt-busmaster", "nt-doublebuffer", "nt-v3", "x86"},
      answer = {1, 3},
      verify = function() return bug:breaks_on{"nt-busmaster", "nt-doublebuffer", "nt-v3", "x86"} end,
      explain = {
        en = "Wherever the device does not snoop the CPU caches. On a coherent platform KeFlushIoBuffers does nothing, at almost no cost, which is why a portable driver calls it anyway.",
        ru = "Везде, где устройство не отслеживает кэш процессора. На когерентной платформе KeFlushIoBuffers ничего не делает и почти ничего не стоит, поэтому переносимый драйвер всё равно вызывает его.",
        zh = "凡是设备不监听处理器缓存的平台都会。在缓存一致的平台上 KeFlushIoBuffers 不执行任何操作，几乎没有开销，因此可移植的驱动程序始终调用它。",
    } },
  },
}
