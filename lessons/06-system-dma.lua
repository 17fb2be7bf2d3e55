-- Lesson 6: slave DMA through the system DMA controller: its internal buffer
-- reaches memory only when full, so the tail of a transfer whose length is
-- not a multiple of the buffer stays inside until FlushAdapterBuffers; the
-- other way it reads ahead, and the flush discards what the device did not take.
-- Source: "Flushing Cached Data during DMA Operations" (the slave-DMA case);
-- the scenario of traces/samples/slave-dma-tail.*.dmt.
local BUF, LEN, FIRST = 0x300000, 100, 20
local plat = dma.platform("nt-slave-dma")      -- controller buffer B=16, chunks C=8
plat:device("floppy", {signals_done = 1})      -- the floppy says when it is done

-- the driver's read: KeFlushIoBuffers, MapTransfer, the first bytes arrive
local function start(len)
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = len, data = string.rep("aa", len)}   -- old contents
  s:KeFlushIoBuffers{dev = "floppy", seg = {BUF, false, len},
                     ReadOperation = true, DmaOperation = true}
  s:MapTransfer{dev = "floppy", seg = {BUF, false, len}, len = len, handle = 0x1,
                irp = 1, WriteToDevice = false}
  s:dev_write{dev = "floppy", addr = BUF, len = FIRST, data = string.rep("55", FIRST)}
  return s
end

local function flush_event(len)
  return {"FlushAdapterBuffers", dev = "floppy", seg = {BUF, false, len}, len = len,
          handle = 0x1, irp = 1, WriteToDevice = false, status = true}
end

-- the rest of the bytes, the end of the transfer, and the driver's read;
-- returns @s and the event number of FreeAdapterChannel
local function finish(s, len, flush)
  s:dev_write{dev = "floppy", addr = BUF + FIRST, len = len - FIRST,
              data = string.rep("55", len - FIRST)}
  s:dev_done{dev = "floppy", handle = 0x1}
  if flush then s:apply(flush_event(len)) end
  local free = s:FreeAdapterChannel{dev = "floppy"}
  s:IoCompleteRequest{irp = 1, status = "STATUS_SUCCESS"}
  s:cpu_read{addr = BUF, len = len}
  return s, free
end

-- the other direction: the driver writes 100 bytes to the floppy, which takes 20
local function write_start()
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("66", LEN)}
  s:KeFlushIoBuffers{dev = "floppy", seg = {BUF, false, LEN},
                     ReadOperation = false, DmaOperation = true}
  s:MapTransfer{dev = "floppy", seg = {BUF, false, LEN}, len = LEN, handle = 0x1,
                irp = 2, WriteToDevice = true}
  s:dev_read{dev = "floppy", addr = BUF, len = FIRST}
  return s
end

local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

local bug, fixed, out
local FREE           -- the buggy run's FreeAdapterChannel: its event number
local PLATFORMS = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "x86"}

return {
  id = "system-dma",
  order = 6,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "kef-read"},
  title = {
    en = "Slave DMA: the tail left in the system DMA controller",
    ru = "Подчинённое DMA: остаток в системном контроллере DMA",
    zh = "从属 DMA：留在系统 DMA 控制器中的尾部字节",
  },
  teaches = {
    en = "A system DMA controller writes its internal buffer to memory only when it is full; the tail of a transfer stays inside until FlushAdapterBuffers, which is owed at the end of every transfer.",
    ru = "Системный контроллер DMA записывает свой внутренний буфер в память, только когда он заполнен; остаток передачи ждёт внутри до FlushAdapterBuffers, который нужен в конце каждой передачи.",
    zh = "系统 DMA 控制器只在内部缓冲区已满时才将其写入内存；传输的尾部字节留在其中，直到调用 FlushAdapterBuffers，每次传输结束时都必须调用它。",
  },
  steps = {
    { narrate = {
        en = "A device without bus mastering uses slave DMA: the system DMA controller moves its bytes. Such a controller, represented by an adapter object, can have an internal buffer: it transfers data in fixed-size chunks, usually eight or more bytes at a time, and can wait until its buffer is full.",
        ru = "Устройство без управления шиной использует подчинённое DMA: его байты передаёт системный контроллер DMA. Такой контроллер, представленный объектом адаптера, может иметь внутренний буфер: он передаёт данные блоками фиксированного размера, обычно по восемь или более байтов, и может ждать, пока буфер не заполнится.",
        zh = "不具备总线主控能力的设备使用从属 DMA：由系统 DMA 控制器传输其字节。由适配器对象表示的此类控制器可以具有内部缓冲区：它以固定大小的区块传输数据，一次通常八个或更多字节，并且可以等到缓冲区已满再传输。",
    } },
    { narrate = {
        en = "The nt-slave-dma platform models such a controller: a 16-byte buffer written to memory in chunks of 8 bytes, once all 16 are in. Its caches are not coherent with DMA.",
        ru = "Платформа nt-slave-dma моделирует такой контроллер: буфер на 16 байтов, который записывается в память блоками по 8 байтов, когда в нём набрались все 16. Кэш на этой платформе не согласован с DMA.",
        zh = "nt-slave-dma 平台模拟这样的控制器：16 字节的缓冲区，集满 16 字节后以每块 8 字节写入内存。该平台的缓存与 DMA 不一致。",
    } },
    { run = function() bug = start(LEN) return bug end,
      say = {
        en = "A floppy driver reads 100 bytes into a buffer that holds 0xaa: KeFlushIoBuffers(ReadOperation=TRUE), then MapTransfer. The floppy delivers its first 20 bytes of 0x55.",
        ru = "Драйвер дисковода читает 100 байтов в буфер, где лежат байты 0xaa: KeFlushIoBuffers (ReadOperation=TRUE), затем MapTransfer. Дисковод передаёт первые 20 байтов 0x55.",
        zh = "软盘驱动程序将 100 个字节读入内容为 0xaa 的缓冲区：先调用 KeFlushIoBuffers (ReadOperation=TRUE)，再调用 MapTransfer。软盘送出前 20 个 0x55 字节。",
    } },
    { predict = {
        en = "How many of those 20 bytes are still inside the system DMA controller, not yet in memory?",
        ru = "Сколько из этих 20 байтов ещё находится в системном контроллере DMA, а не в памяти?",
        zh = "这 20 个字节中有多少仍在系统 DMA 控制器中，尚未写入内存？",
      },
      answer = 4,
      verify = function() return #bug:ctrl("floppy").bytes end,
      explain = {
        en = "4: when its buffer filled up (16 bytes) the controller wrote it to memory, in two chunks of 8. The other 4 bytes wait for more bytes to fill the buffer again, or for FlushAdapterBuffers.",
        ru = "4: когда буфер заполнился (16 байтов), контроллер записал его в память двумя блоками по 8. Остальные 4 байта ждут, пока буфер снова не заполнится или не будет вызван FlushAdapterBuffers.",
        zh = "4：缓冲区集满 16 字节时，控制器分两个 8 字节区块把它写入内存。其余 4 个字节要等缓冲区再次集满，或者等待 FlushAdapterBuffers。",
    } },
    { run = function()
        bug, FREE = finish(bug, LEN, false)
        return bug
      end,
      say = {
        en = "The floppy delivers the other 80 bytes and signals the end (dev_done). The driver frees the adapter channel, completes the IRP with STATUS_SUCCESS and reads the buffer. It never calls FlushAdapterBuffers.",
        ru = "Дисковод передаёт остальные 80 байтов и сообщает о конце (dev_done). Драйвер освобождает канал адаптера, завершает IRP с STATUS_SUCCESS и читает буфер. FlushAdapterBuffers он не вызывает.",
        zh = "软盘送出其余 80 个字节并发出结束信号（dev_done）。驱动程序释放适配器通道，以 STATUS_SUCCESS 完成 IRP 并读取缓冲区。它从未调用 FlushAdapterBuffers。",
    } },
    { predict = {
        en = "Which byte does the driver read at offset 96 (0x300060), one of the last four?",
        ru = "Какой байт драйвер читает по смещению 96 (0x300060), то есть в одном из последних четырёх байтов?",
        zh = "驱动程序在偏移 96（0x300060，最后四个字节之一）处读到哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:cpu_byte(BUF + 96) end,
      explain = {
        en = "0xaa, the old contents: 100 = 6 x 16 + 4. The last 4 bytes never filled the controller's buffer, so they never reached memory, and the CPU reads what memory holds.",
        ru = "0xaa, старое содержимое: 100 = 6 x 16 + 4. Последние 4 байта так и не заполнили буфер контроллера, поэтому в память не попали, и процессор читает то, что в памяти.",
        zh = "0xaa，旧内容：100 = 6 x 16 + 4。最后 4 个字节始终没有集满控制器的缓冲区，因此从未到达内存，处理器读到的是内存中的内容。",
    } },
    { expect = {"DC004", "DC001"} },
    { narrate = function()
        local c, at = bug:ctrl("floppy"), FREE
        return {
          en = ("The controller view: %d bytes of 0x%02x still inside, direction %s. The engine reports DC004 residual-in-adapter at event %d (FreeAdapterChannel), with the stale read (DC001) listed inside it."):format(#c.bytes, c.bytes[1], c.dir, at),
          ru = ("Вид контроллера: внутри ещё %d байта 0x%02x, направление %s. Движок сообщает DC004 residual-in-adapter в событии %d (FreeAdapterChannel), а устаревшее чтение (DC001) указано внутри него."):format(#c.bytes, c.bytes[1], c.dir, at),
          zh = ("控制器视图：其中仍有 %d 个 0x%02x 字节，方向 %s。引擎在事件 %d（FreeAdapterChannel）报告 DC004 residual-in-adapter，陈旧读取（DC001）列在其中。"):format(#c.bytes, c.bytes[1], c.dir, at),
        }
      end },
    { predict = {
        en = "Which call, inserted just before FreeAdapterChannel, brings the tail into memory?",
        ru = "Какой вызов, вставленный прямо перед FreeAdapterChannel, доставит остаток в память?",
        zh = "在 FreeAdapterChannel 之前插入哪个调用，可以把尾部字节送入内存？",
      },
      choices = {"KeFlushIoBuffers", "FlushAdapterBuffers", "FreeAdapterChannel", "IoCompleteRequest"},
      answer = 2,
      verify = function()
        local tries = {
          {"KeFlushIoBuffers", dev = "floppy", seg = {BUF, false, LEN},
           ReadOperation = true, DmaOperation = true},
          flush_event(LEN),
          {"FreeAdapterChannel", dev = "floppy"},
          {"IoCompleteRequest", irp = 1, status = "STATUS_SUCCESS"},
        }
        for i, ev in ipairs(tries) do
          local w = bug:whatif()
          w:insert(FREE, ev)
          local d = w:diff()
          w:close()
          if has(d.removed_ids, "DC004") and #d.added_ids == 0 then return i end
        end
      end,
      explain = {
        en = "FlushAdapterBuffers: it drains the controller's buffer into memory. KeFlushIoBuffers maintains the processor cache, not the controller; freeing or completing earlier only moves the finding.",
        ru = "FlushAdapterBuffers: он сбрасывает буфер контроллера в память. KeFlushIoBuffers обслуживает кэш процессора, а не контроллер; если раньше освободить канал или завершить IRP, ошибка лишь переместится.",
        zh = "FlushAdapterBuffers：它把控制器缓冲区中的字节写入内存。KeFlushIoBuffers 维护的是处理器缓存，而不是控制器；提前释放或完成只会让错误换个位置。",
    } },
    { predict = {
        en = "Another driver always reads 96 bytes (6 x 16) and never calls FlushAdapterBuffers either. What does the engine report?",
        ru = "Другой драйвер всегда читает 96 байтов (6 x 16) и тоже не вызывает FlushAdapterBuffers. Что сообщит движок?",
        zh = "另一个驱动程序每次读取 96 个字节（6 x 16），同样从不调用 FlushAdapterBuffers。引擎报告什么？",
      },
      choices = {
        { en = "nothing: every byte reached memory", ru = "ничего: все байты попали в память",
          zh = "没有错误：每个字节都已到达内存" },
        { en = "DC004 residual-in-adapter", ru = "DC004 residual-in-adapter", zh = "DC004 residual-in-adapter" },
        { en = "DC008 complete-before-flush", ru = "DC008 complete-before-flush", zh = "DC008 complete-before-flush" },
      },
      answer = 3,
      verify = function()
        local e = (finish(start(96), 96, false)):errors()
        return #e == 0 and 1 or has(e, "DC004") and 2 or has(e, "DC008") and 3 or e[1]
      end,
      explain = {
        en = "DC008: this time nothing stays in the controller and the data is right, but the flush is still owed. A driver cannot count on the controller's buffer size: unless it calls FlushAdapterBuffers at the end of each transfer, it cannot be sure when every byte will arrive.",
        ru = "DC008: на этот раз в контроллере ничего не осталось и данные верны, но очистка всё равно нужна. Драйвер не может полагаться на размер буфера контроллера: без FlushAdapterBuffers в конце каждой передачи он не знает, когда будет передан каждый байт.",
        zh = "DC008：这一次控制器中没有剩余字节，数据也正确，但仍然必须刷新。驱动程序不能依赖控制器缓冲区的大小：除非在每次传输结束时调用 FlushAdapterBuffers，否则无法确定每个字节何时传输完毕。",
    } },
    { run = function() fixed = finish(start(LEN), LEN, true) return fixed end,
      say = {
        en = "The same driver calls FlushAdapterBuffers after the floppy's dev_done, before it frees the adapter channel.",
        ru = "Тот же драйвер вызывает FlushAdapterBuffers после dev_done дисковода, до освобождения канала адаптера.",
        zh = "同一个驱动程序在软盘发出 dev_done 之后、释放适配器通道之前调用 FlushAdapterBuffers。",
    } },
    { expect = {} },
    { narrate = function()
        return {
          en = ("Now the controller holds %d bytes and the read at 0x300060 returns 0x%02x."):format(#fixed:ctrl("floppy").bytes, fixed:cpu_byte(BUF + 96)),
          ru = ("Теперь в контроллере %d байтов, и чтение по адресу 0x300060 возвращает 0x%02x."):format(#fixed:ctrl("floppy").bytes, fixed:cpu_byte(BUF + 96)),
          zh = ("现在控制器中有 %d 个字节，在 0x300060 处读到 0x%02x。"):format(#fixed:ctrl("floppy").bytes, fixed:cpu_byte(BUF + 96)),
        }
      end },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC001", "DC003"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", gives = {"DC001", "DC004"} },
      },
      say = {
        en = "Leave each call out in turn. Without FlushAdapterBuffers the tail stays in the controller (DC004) and is read stale (DC001). Without KeFlushIoBuffers the dirty 0xaa lines sit over the device's bytes (DC003). Without MapTransfer the floppy writes where nothing is mapped (DC011).",
        ru = "Уберите по очереди каждый вызов. Без FlushAdapterBuffers остаток остаётся в контроллере (DC004) и читается устаревшим (DC001). Без KeFlushIoBuffers изменённые строки 0xaa лежат в кэше поверх данных устройства (DC003). Без MapTransfer дисковод пишет туда, где ничего не отображено (DC011).",
        zh = "依次去掉每个调用。没有 FlushAdapterBuffers，尾部字节留在控制器中（DC004），读到的是陈旧数据（DC001）。没有 KeFlushIoBuffers，0xaa 的脏缓存行盖在设备数据之上（DC003）。没有 MapTransfer，软盘写入的是未映射的地址（DC011）。",
    } },
    { predict = {
        en = "The driver without FlushAdapterBuffers: on which platforms does its last read return stale bytes (DC001)?",
        ru = "Драйвер без FlushAdapterBuffers: на каких платформах его последнее чтение возвращает устаревшие данные (DC001)?",
        zh = "不调用 FlushAdapterBuffers 的驱动程序：在哪些平台上它最后一次读取会得到陈旧数据（DC001）？",
      },
      choices = PLATFORMS,
      answer = {1, 2, 3},
      verify = function() return bug:breaks_on(PLATFORMS, "DC001") end,
      explain = {
        en = "Wherever something holds the bytes back: the controller's tail (nt-slave-dma), a bus master's posted writes (nt-busmaster), a map buffer not copied back (nt-doublebuffer, though coherent). On x86 every byte reaches memory at once: DC008 only. The missing flush is a bug on all four.",
        ru = "Везде, где что-то задерживает байты: остаток в контроллере (nt-slave-dma), отложенные записи DMA master шины (nt-busmaster), не скопированный обратно буфер отображения (nt-doublebuffer, хотя он когерентен). На x86 каждый байт сразу доходит до памяти: только DC008. Пропущенная очистка — ошибка на всех четырёх.",
        zh = "凡是有东西扣留字节的平台：控制器中的尾部（nt-slave-dma）、总线主控设备的延迟写入（nt-busmaster）、未复制回来的映射缓冲区（nt-doublebuffer，尽管它是缓存一致的）。在 x86 上每个字节立即到达内存：只有 DC008。缺少刷新在这四个平台上都是错误。",
    } },
    { run = function() out = write_start() return out end,
      say = {
        en = "The other direction: the driver writes 100 bytes of 0x66 to the floppy (KeFlushIoBuffers with ReadOperation=FALSE, MapTransfer with WriteToDevice=TRUE). The floppy takes its first 20 bytes.",
        ru = "Обратное направление: драйвер записывает на дисковод 100 байтов 0x66 (KeFlushIoBuffers с ReadOperation=FALSE, MapTransfer с WriteToDevice=TRUE). Дисковод забирает первые 20 байтов.",
        zh = "反方向：驱动程序向软盘写入 100 个 0x66 字节（KeFlushIoBuffers 的 ReadOperation=FALSE，MapTransfer 的 WriteToDevice=TRUE）。软盘取走前 20 个字节。",
    } },
    { predict = {
        en = "How many bytes does the system DMA controller hold now, that the floppy has not taken?",
        ru = "Сколько байтов сейчас держит системный контроллер DMA, которые дисковод ещё не забрал?",
        zh = "系统 DMA 控制器现在持有多少个软盘尚未取走的字节？",
      },
      answer = 12,
      verify = function() return #out:ctrl("floppy").bytes end,
      explain = {
        en = "12: the controller fetches memory 16 bytes at a time, ahead of the device: 32 bytes for the floppy's 20. FlushAdapterBuffers at the end of the transfer discards what the device did not take, so the next transfer starts empty.",
        ru = "12: контроллер читает память по 16 байтов, с опережением устройства: 32 байта на 20 байтов дисковода. FlushAdapterBuffers в конце передачи отбрасывает то, что устройство не забрало, и следующая передача начинается с пустым буфером.",
        zh = "12：控制器每次从内存预先读取 16 个字节，领先于设备：为软盘的 20 个字节读取了 32 个字节。传输结束时 FlushAdapterBuffers 丢弃设备没有取走的字节，下一次传输从空缓冲区开始。",
    } },
  },
}
