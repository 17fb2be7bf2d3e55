-- Lesson 4: DMA out of a cached buffer without KeFlushIoBuffers: the device
-- reads stale memory.  Source: "Flushing Cached Data during DMA Operations"
-- (Windows, DMA interface versions 1 and 2), the write case: "the data in
-- this cache might be more up-to-date than the copy in memory".
local BUF, LEN = 0x300000, 256
local plat = dma.platform("nt-busmaster")
plat:device("nic")

local SEG = {BUF, false, LEN}

-- the driver sends a packet; flush: nil, or the ReadOperation it passes
local function scenario(flush)
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}   -- the previous packet
  s:evict{addr = BUF, len = LEN}                                     -- long since in memory
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("77", LEN)}   -- the new packet
  if flush ~= nil then
    s:KeFlushIoBuffers{dev = "nic", seg = SEG, ReadOperation = flush, DmaOperation = true}
  end
  s:MapTransfer{dev = "nic", seg = SEG, len = LEN, handle = 0x10, irp = 1, WriteToDevice = true}
  s:dev_read{dev = "nic", addr = BUF, len = LEN}
  s:FlushAdapterBuffers{dev = "nic", seg = SEG, len = LEN, handle = 0x10, irp = 1,
                        WriteToDevice = true}
  s:FreeMapRegisters{dev = "nic", handle = 0x10}
  s:IoCompleteRequest{irp = 1, status = "STATUS_SUCCESS"}
  return s
end

local bug, fixed

return {
  id = "kef-write",
  order = 4,
  languages = {"en", "ru", "zh"},
  requires = {"kef-read"},
  title = {
    en = "DMA out of a cached buffer without KeFlushIoBuffers",
    ru = "DMA из кэшированного буфера без KeFlushIoBuffers",
    zh = "不调用 KeFlushIoBuffers 时 DMA 读取已缓存的缓冲区",
  },
  teaches = {
    en = "Before a memory-to-device transfer the CPU's newest data may be only in the cache; KeFlushIoBuffers(ReadOperation=FALSE) before MapTransfer writes it back, or the device reads stale memory.",
    ru = "Перед передачей из памяти в устройство новейшие данные процессора могут быть только в кэше; KeFlushIoBuffers (ReadOperation=FALSE) перед MapTransfer записывает их в память, иначе устройство читает устаревшую память.",
    zh = "在内存到设备的传输之前，处理器的最新数据可能只在缓存中；在 MapTransfer 之前调用 KeFlushIoBuffers (ReadOperation=FALSE) 将其写回内存，否则设备读到陈旧的内存。",
  },
  steps = {
    { narrate = {
        en = "Now the other direction: the device reads memory. A network driver reuses a send buffer whose previous packet (0xaa bytes) reached memory long ago, and writes the next packet (0x77 bytes) into it. The CPU cache holds those lines dirty.",
        ru = "Теперь другое направление: устройство читает память. Сетевой драйвер повторно использует буфер отправки, предыдущий пакет которого (байты 0xaa) давно в памяти, и записывает в него следующий пакет (байты 0x77). Эти строки лежат в кэше процессора изменёнными.",
        zh = "现在是另一个方向：设备读取内存。网络驱动程序重用一个发送缓冲区，其上一个数据包（0xaa 字节）早已写入内存，驱动程序向其中写入下一个数据包（0x77 字节）。这些缓存行在处理器缓存中是脏的。",
    } },
    { run = function() bug = scenario(nil) return bug end,
      say = {
        en = "The driver maps the buffer (MapTransfer, WriteToDevice=TRUE), the card reads it, the driver calls FlushAdapterBuffers, frees the map registers and completes the IRP. No KeFlushIoBuffers.",
        ru = "Драйвер отображает буфер (MapTransfer, WriteToDevice=TRUE), карта читает его, драйвер вызывает FlushAdapterBuffers, освобождает регистры отображения и завершает IRP. KeFlushIoBuffers не вызван.",
        zh = "驱动程序映射缓冲区（MapTransfer，WriteToDevice=TRUE），网卡读取它，驱动程序调用 FlushAdapterBuffers，释放映射寄存器并完成 IRP。没有调用 KeFlushIoBuffers。",
    } },
    { predict = {
        en = "Which byte did the card send at the start of the packet?",
        ru = "Какой байт карта отправила в начале пакета?",
        zh = "网卡在数据包开头发送的是哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:findings()[1].seen[1] end,
      explain = {
        en = "0xaa: the card read memory, which still holds the previous packet. The new 0x77 bytes were more up-to-date in the cache than the copy in memory. The card sent the old packet again, and nothing failed.",
        ru = "0xaa: карта читала память, где всё ещё лежит предыдущий пакет. Новые байты 0x77 в кэше были более актуальными, чем копия в памяти. Карта снова отправила старый пакет, и никакой ошибки не возникло.",
        zh = "0xaa：网卡读取的是内存，其中仍是上一个数据包。新的 0x77 字节在缓存中，比内存中的副本更新。网卡再次发送了旧数据包，而且没有任何报错。",
    } },
    { expect = {"DC002"} },
    { predict = {
        en = "Which call is missing, and where?",
        ru = "Какого вызова не хватает и где?",
        zh = "缺少哪个调用？应在何处调用？",
      },
      choices = {
        { en = "FlushAdapterBuffers, before MapTransfer", ru = "FlushAdapterBuffers, перед MapTransfer", zh = "FlushAdapterBuffers，在 MapTransfer 之前" },
        { en = "KeFlushIoBuffers, before MapTransfer", ru = "KeFlushIoBuffers, перед MapTransfer", zh = "KeFlushIoBuffers，在 MapTransfer 之前" },
        { en = "KeFlushIoBuffers, after FlushAdapterBuffers", ru = "KeFlushIoBuffers, после FlushAdapterBuffers", zh = "KeFlushIoBuffers，在 FlushAdapterBuffers 之后" },
      },
      answer = 2,
      verify = function()
        local w = bug:whatif()
        w:insert(4, {"KeFlushIoBuffers", dev = "nic", seg = SEG, ReadOperation = false,
                     DmaOperation = true})
        local cured = #w:diff().removed_ids > 0 and #w:diff().added_ids == 0
        w:close()
        return cured and 2 or 0
      end,
      explain = {
        en = "KeFlushIoBuffers just before the write, i.e. before MapTransfer starts the transfer: it writes the dirty lines to memory. After the transfer it is too late, and FlushAdapterBuffers does no cache maintenance.",
        ru = "KeFlushIoBuffers непосредственно перед записью, то есть до того, как MapTransfer начнёт передачу: он записывает изменённые строки в память. После передачи уже поздно, а FlushAdapterBuffers кэш не обслуживает.",
        zh = "在写入之前，即 MapTransfer 开始传输之前调用 KeFlushIoBuffers：它把脏缓存行写回内存。传输之后再调用为时已晚，而 FlushAdapterBuffers 不维护处理器缓存。",
    } },
    { narrate = function()
        local f = bug:findings()[1]
        return {
          en = ("DC002, stale-device-read, at event %d: the card read 0x%02x where the newest data, written by the CPU, is 0x%02x. The call the engine names as omitted: %s."):format(f.event, f.seen[1], f.expected[1], f.omitted),
          ru = ("DC002, stale-device-read, событие %d: карта прочитала 0x%02x, а новейшие данные, записанные процессором, — 0x%02x. Пропущенный вызов, по мнению движка: %s."):format(f.event, f.seen[1], f.expected[1], f.omitted),
          zh = ("DC002（stale-device-read），事件 %d：网卡读到 0x%02x，而处理器写入的最新数据是 0x%02x。引擎指出遗漏的调用：%s。"):format(f.event, f.seen[1], f.expected[1], f.omitted),
        }
      end },
    { predict = {
        en = "The card reads memory here. Which ReadOperation does the driver pass to KeFlushIoBuffers?",
        ru = "Здесь карта читает память. Какое значение ReadOperation драйвер передаёт KeFlushIoBuffers?",
        zh = "这里网卡读取内存。驱动程序应向 KeFlushIoBuffers 传递哪个 ReadOperation 值？",
      },
      choices = {"ReadOperation=TRUE", "ReadOperation=FALSE"},
      answer = 2,
      verify = function()
        local t, f = scenario(true), scenario(false)
        return #f:errors() == 0 and #t:errors() > 0 and 2 or 1
      end,
      explain = {
        en = "FALSE: ReadOperation is TRUE when the device writes memory (a read into the buffer) and FALSE for a write to the device. The engine reports TRUE here as DC010, direction-mismatch: the flush contradicts the transfer.",
        ru = "FALSE: ReadOperation равен TRUE, когда устройство пишет в память (чтение в буфер), и FALSE для записи в устройство. Значение TRUE здесь движок сообщает как DC010, direction-mismatch: направление очистки противоречит передаче.",
        zh = "FALSE：设备写入内存（读入缓冲区）时 ReadOperation 为 TRUE，向设备写出时为 FALSE。此处传 TRUE，引擎报告 DC010（direction-mismatch）：刷新方向与传输方向矛盾。",
    } },
    { run = function() fixed = scenario(false) return fixed end,
      say = {
        en = "The same driver, with KeFlushIoBuffers(ReadOperation=FALSE, DmaOperation=TRUE) after the packet is written and before MapTransfer.",
        ru = "Тот же драйвер с KeFlushIoBuffers (ReadOperation=FALSE, DmaOperation=TRUE) после записи пакета и перед MapTransfer.",
        zh = "同一个驱动程序，在写完数据包之后、MapTransfer 之前调用 KeFlushIoBuffers（ReadOperation=FALSE，DmaOperation=TRUE）。",
    } },
    { narrate = function()
        local l = fixed:line(BUF)
        local st = l and l.state or "none"
        local ru = ({clean = "чистая", dirty = "изменённая", none = "нет в кэше"})[st]
        local zh = ({clean = "干净", dirty = "脏", none = "不在缓存中"})[st]
        return {
          en = ("Memory now holds 0x%02x; the line is %s: the flush wrote it back and kept it, as a write needs."):format(fixed:mem_byte(BUF), st),
          ru = ("В памяти теперь 0x%02x; строка кэша: %s. Очистка записала её в память и оставила в кэше, как и нужно для записи."):format(fixed:mem_byte(BUF), ru),
          zh = ("内存中现在是 0x%02x；缓存行状态：%s。刷新把它写回了内存并保留在缓存中，对写操作而言这样就够了。"):format(fixed:mem_byte(BUF), zh),
        }
      end },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC002"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", gives = {"DC008"} },
      },
      say = {
        en = "Without KeFlushIoBuffers the card sends stale bytes (DC002). Without MapTransfer it reads where nothing is mapped (DC011). Without FlushAdapterBuffers the IRP completes and the map registers are freed before the transfer's flush (DC008).",
        ru = "Без KeFlushIoBuffers карта отправляет устаревшие байты (DC002). Без MapTransfer она читает там, где ничего не отображено (DC011). Без FlushAdapterBuffers IRP завершается и регистры отображения освобождаются до очистки буферов адаптера (DC008).",
        zh = "没有 KeFlushIoBuffers，网卡发送陈旧字节（DC002）。没有 MapTransfer，它读取未映射的地址（DC011）。没有 FlushAdapterBuffers，IRP 在刷新适配器缓冲区之前就完成，映射寄存器也被释放（DC008）。",
    } },
  },
}
