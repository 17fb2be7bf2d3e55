-- Lesson 7: a bus-master device posts its last writes; FlushAdapterBuffers
-- at the end of EACH transfer of an IRP makes them reach memory.  An IRP
-- larger than the adapter's map registers is split into several transfers.
-- Source: "Flushing Cached Data during DMA Operations" (the bus-master case);
-- cf. traces/samples/posted-late-flush.*.dmt.
local BUF, LEN, PART, H, IRP = 0x600000, 272, 256, 0x20, 7
local plat = dma.platform("nt-busmaster")      -- posted-write buffer P=32
plat:device("disk")

local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

-- transfer @k (1 or 2) of the IRP: bytes [off, off + len) of the MDL
local function part(k)
  if k == 1 then return 0, PART end
  return PART, LEN - PART
end

local function flush_event(k)
  local off, len = part(k)
  return {"FlushAdapterBuffers", dev = "disk", seg = {BUF, false, LEN}, off = off,
          len = len, handle = H, irp = IRP, WriteToDevice = false, status = true}
end

local function transfer(s, k, fill)
  local off, len = part(k)
  s:MapTransfer{dev = "disk", seg = {BUF, false, LEN}, off = off, len = len, handle = H,
                irp = IRP, WriteToDevice = false}
  s:dev_write{dev = "disk", addr = BUF + off, len = len, data = string.rep(fill, len)}
end

-- the first transfer, without its flush
local function first()
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}   -- old contents
  s:KeFlushIoBuffers{dev = "disk", seg = {BUF, false, LEN},
                     ReadOperation = true, DmaOperation = true}
  transfer(s, 1, "11")
  return s
end

-- the rest of the IRP; @each: a flush after the first transfer too.
-- Returns @s and the event numbers of the second MapTransfer and of FreeMapRegisters.
local function rest(s, each)
  if each then s:apply(flush_event(1)) end
  local map2 = s:count() + 1
  transfer(s, 2, "22")
  s:apply(flush_event(2))
  local free = s:FreeMapRegisters{dev = "disk", handle = H}
  s:IoCompleteRequest{irp = IRP, status = "STATUS_SUCCESS"}
  s:cpu_read{addr = BUF, len = LEN}
  return s, {map2 = map2, free = free}
end

local bug, fixed
local AT             -- event numbers in the buggy run (rest)
local PLATFORMS = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "x86"}

return {
  id = "busmaster-flush",
  order = 7,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "kef-read"},
  title = {
    en = "Bus-master DMA: FlushAdapterBuffers after each transfer of an IRP",
    ru = "DMA master шины: FlushAdapterBuffers после каждой передачи IRP",
    zh = "总线主控 DMA：IRP 的每个传输操作之后调用 FlushAdapterBuffers",
  },
  teaches = {
    en = "A bus master may hold its last writes in a posted-write buffer; an IRP split into several transfers needs FlushAdapterBuffers at the end of each one, not once per IRP.",
    ru = "Устройство DMA master шины может задерживать последние записи в буфере отложенной записи; IRP, разбитый на несколько передач, требует FlushAdapterBuffers в конце каждой из них, а не один раз на IRP.",
    zh = "总线主控设备可能把最后写入的数据留在延迟写入缓冲区中；拆分为多个传输操作的 IRP 需要在每个传输操作结束时调用 FlushAdapterBuffers，而不是每个 IRP 只调用一次。",
  },
  steps = {
    { narrate = {
        en = "A bus-master device writes memory itself, but it may post its writes: the last bytes wait in a buffer on the device or the bus. The nt-busmaster platform keeps the last 32 bytes a device wrote until more come or FlushAdapterBuffers drains them.",
        ru = "Устройство DMA master шины само пишет в память, но может откладывать записи: последние байты ждут в буфере на устройстве или на шине. Платформа nt-busmaster держит последние 32 записанных устройством байта, пока не придут новые или FlushAdapterBuffers не сбросит их.",
        zh = "总线主控设备自己写入内存，但可能延迟写入：最后的字节停留在设备或总线上的缓冲区中。nt-busmaster 平台会保留设备最后写入的 32 个字节，直到有新的写入或 FlushAdapterBuffers 将其写出。",
    } },
    { narrate = {
        en = "A disk driver reads 272 bytes for one IRP. Its map registers cover only 256 bytes, so the IRP takes two transfers on the same map registers: MapTransfer for bytes 0-255, then MapTransfer for bytes 256-271.",
        ru = "Драйвер диска читает 272 байта для одного IRP. Его регистры отображения покрывают только 256 байтов, поэтому IRP требует двух передач на одних и тех же регистрах: MapTransfer для байтов 0-255, затем MapTransfer для байтов 256-271.",
        zh = "磁盘驱动程序为一个 IRP 读取 272 个字节。它的映射寄存器只能覆盖 256 个字节，因此该 IRP 需要在同一组映射寄存器上进行两次传输：先对字节 0-255 调用 MapTransfer，再对字节 256-271 调用 MapTransfer。",
    } },
    { run = function() bug = first() return bug end,
      say = {
        en = "The buffer holds 0xaa. The driver calls KeFlushIoBuffers and maps the first 256 bytes; the disk writes them (0x11).",
        ru = "В буфере лежат байты 0xaa. Драйвер вызывает KeFlushIoBuffers и отображает первые 256 байтов; диск записывает их (0x11).",
        zh = "缓冲区内容为 0xaa。驱动程序调用 KeFlushIoBuffers 并映射前 256 个字节；磁盘写入这些字节（0x11）。",
    } },
    { predict = {
        en = "How many of the 256 bytes are still posted, not yet in memory?",
        ru = "Сколько из 256 байтов ещё отложено и не попало в память?",
        zh = "这 256 个字节中有多少仍被延迟，尚未写入内存？",
      },
      answer = 32,
      verify = function() return #bug:posted("disk").bytes end,
      explain = {
        en = "32, the size of the posted-write buffer: the disk's older writes were pushed out to memory by the newer ones; its last 32 bytes (0x6000e0-0x6000ff) wait for more writes or for a flush.",
        ru = "32, размер буфера отложенной записи: более новые записи диска вытолкнули старые в память; последние 32 байта (0x6000e0-0x6000ff) ждут новых записей или очистки.",
        zh = "32，即延迟写入缓冲区的大小：磁盘较新的写入把较早的写入推入了内存；最后 32 个字节（0x6000e0-0x6000ff）等待新的写入或刷新。",
    } },
    { run = function()
        bug, AT = rest(bug, false)
        return bug
      end,
      say = {
        en = "The driver thinks one flush per IRP is enough. It maps bytes 256-271 (the disk writes 0x22), calls FlushAdapterBuffers for that transfer only, frees the map registers, completes the IRP and reads the buffer.",
        ru = "Драйвер считает, что одной очистки на IRP достаточно. Он отображает байты 256-271 (диск пишет 0x22), вызывает FlushAdapterBuffers только для этой передачи, освобождает регистры отображения, завершает IRP и читает буфер.",
        zh = "驱动程序认为每个 IRP 刷新一次就够了。它映射字节 256-271（磁盘写入 0x22），只为这次传输调用 FlushAdapterBuffers，释放映射寄存器，完成 IRP 并读取缓冲区。",
    } },
    { predict = {
        en = "Which byte does the final read return at offset 248 (0x6000f8)?",
        ru = "Какой байт возвращает последнее чтение по смещению 248 (0x6000f8)?",
        zh = "最后一次读取在偏移 248（0x6000f8）处返回哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:cpu_byte(BUF + 248) end,
      explain = {
        en = "0xaa, the old contents. The 16 bytes of the second transfer pushed out only the 16 oldest posted bytes; the flush covered the second transfer's range only, so the first transfer's last 16 bytes (0x6000f0-0x6000ff) never reached memory.",
        ru = "0xaa, старое содержимое. 16 байтов второй передачи вытолкнули только 16 самых старых отложенных байтов; очистка охватила лишь диапазон второй передачи, и последние 16 байтов первой (0x6000f0-0x6000ff) так и не попали в память.",
        zh = "0xaa，旧内容。第二次传输的 16 个字节只推出了最早的 16 个延迟字节；刷新只覆盖第二次传输的范围，因此第一次传输的最后 16 个字节（0x6000f0-0x6000ff）始终没有到达内存。",
    } },
    { expect = {"DC004", "DC001"} },
    { narrate = function()
        local p = bug:posted("disk")
        return {
          en = ("The posted-write view still holds %d bytes of 0x%02x. The engine reports DC004 residual-in-adapter at event %d (FreeMapRegisters), the stale read (DC001) inside it."):format(#p.bytes, p.bytes[1], AT.free),
          ru = ("В буфере отложенной записи ещё %d байтов 0x%02x. Движок сообщает DC004 residual-in-adapter в событии %d (FreeMapRegisters), устаревшее чтение (DC001) — внутри него."):format(#p.bytes, p.bytes[1], AT.free),
          zh = ("延迟写入视图中仍有 %d 个 0x%02x 字节。引擎在事件 %d（FreeMapRegisters）报告 DC004 residual-in-adapter，陈旧读取（DC001）列在其中。"):format(#p.bytes, p.bytes[1], AT.free),
        }
      end },
    { predict = {
        en = "Which FlushAdapterBuffers is missing?",
        ru = "Какого вызова FlushAdapterBuffers не хватает?",
        zh = "缺少哪一次 FlushAdapterBuffers 调用？",
      },
      choices = {
        { en = "one after the first transfer (bytes 0-255)", ru = "после первой передачи (байты 0-255)",
          zh = "第一次传输（字节 0-255）之后的那次" },
        { en = "a second one after the last transfer", ru = "второй после последней передачи",
          zh = "最后一次传输之后再调用一次" },
        { en = "none: one flush per IRP is enough", ru = "никакого: одной очистки на IRP достаточно",
          zh = "不缺：每个 IRP 刷新一次就够了" },
      },
      answer = 1,
      verify = function()
        if #bug:errors() == 0 then return 3 end
        local at = {AT.map2, AT.free}     -- after each transfer
        for i, k in ipairs{1, 2} do
          local w = bug:whatif()
          w:insert(at[i], flush_event(k))
          local d = w:diff()
          w:close()
          if has(d.removed_ids, "DC004") and #d.added_ids == 0 then return i end
        end
      end,
      explain = {
        en = "The first transfer's: FlushAdapterBuffers flushes the transfer it is given. A driver calls it at the end of each transfer operation for a given IRP, to be sure that all data has been transferred into system memory.",
        ru = "После первой передачи: FlushAdapterBuffers сбрасывает только ту передачу, которую ему указали. Драйвер вызывает его в конце каждой операции передачи для IRP, чтобы убедиться, что все данные переданы в системную память.",
        zh = "第一次传输之后的那次：FlushAdapterBuffers 只刷新传给它的那次传输。驱动程序应在 IRP 的每个传输操作结束时调用它，以确保所有数据都已传输到系统内存。",
    } },
    { run = function() fixed = rest(first(), true) return fixed end,
      say = {
        en = "The same driver with FlushAdapterBuffers at the end of each transfer: after bytes 0-255 and after bytes 256-271.",
        ru = "Тот же драйвер с FlushAdapterBuffers в конце каждой передачи: после байтов 0-255 и после байтов 256-271.",
        zh = "同一个驱动程序，在每次传输结束时调用 FlushAdapterBuffers：字节 0-255 之后一次，字节 256-271 之后一次。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC001", "DC003"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", gives = {"DC001", "DC004"} },
      },
      say = {
        en = "Leave each call out in turn. Either FlushAdapterBuffers missing leaves posted bytes behind (DC004), read stale (DC001). Without KeFlushIoBuffers the dirty 0xaa lines sit over the disk's data (DC003). Without a MapTransfer the disk writes where nothing is mapped (DC011).",
        ru = "Уберите по очереди каждый вызов. Без любого из двух FlushAdapterBuffers отложенные байты остаются (DC004) и читаются устаревшими (DC001). Без KeFlushIoBuffers изменённые строки 0xaa лежат в кэше поверх данных диска (DC003). Без MapTransfer диск пишет туда, где ничего не отображено (DC011).",
        zh = "依次去掉每个调用。少了任何一次 FlushAdapterBuffers，延迟的字节都会留下（DC004），读到陈旧数据（DC001）。没有 KeFlushIoBuffers，0xaa 的脏缓存行盖在磁盘数据之上（DC003）。少了 MapTransfer，磁盘写入的是未映射的地址（DC011）。",
    } },
    { predict = {
        en = "The driver with one flush per IRP: on which platforms does its final read return stale bytes (DC001)?",
        ru = "Драйвер с одной очисткой на IRP: на каких платформах его последнее чтение возвращает устаревшие данные (DC001)?",
        zh = "每个 IRP 只刷新一次的驱动程序：在哪些平台上它最后一次读取会得到陈旧数据（DC001）？",
      },
      choices = PLATFORMS,
      answer = {2, 3},
      verify = function() return bug:breaks_on(PLATFORMS, "DC001") end,
      explain = {
        en = "nt-busmaster (posted writes) and nt-doublebuffer (the first transfer's map buffer is never copied back). On nt-slave-dma 256 and 16 are multiples of the controller's 16 bytes, and x86 holds nothing back: the bytes arrive by luck, not by design.",
        ru = "nt-busmaster (отложенные записи) и nt-doublebuffer (буфер отображения первой передачи так и не копируется обратно). На nt-slave-dma 256 и 16 кратны 16-байтовому буферу контроллера, а x86 ничего не задерживает: байты доходят по счастливой случайности, а не потому, что это гарантировано.",
        zh = "nt-busmaster（延迟写入）和 nt-doublebuffer（第一次传输的映射缓冲区从未复制回来）。在 nt-slave-dma 上 256 和 16 恰好是控制器 16 字节缓冲区的整数倍，x86 不扣留任何字节：字节到达只是运气，而不是设计保证。",
    } },
  },
}
