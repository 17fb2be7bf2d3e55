-- Lesson 15: bounce buffers.  Linux swiotlb and Windows double-buffered
-- map registers: the device reads and writes a copy, and the calls that
-- copy are owed even on a coherent x86.  Cf. traces/samples/
-- swiotlb-rx-nosync.*.dmt and doublebuffer-noflush.*.dmt; the captures of
-- tests/data/captures (recorded with swiotlb=force, README there).
local BUF, SLOT, LEN, FRAME = 0x80000, 0x7ff00000, 2048, 64
local WBUF, MAPBUF, WLEN = 0xa00000, 0xd0000000, 512
local LINUX = {"x86", "x86-swiotlb", "arm-noncoherent", "arm-speculative"}
local WINDOWS = {"nt-busmaster", "nt-doublebuffer", "nt-v3"}

-- Linux: a receive buffer at BUF, mapped FROM_DEVICE; the device sees SLOT
local function rx_start(sync)
  local p = dma.platform("x86-swiotlb")
  p:device("eth0")
  local s = dma.sim(p)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}
  s:dma_map{dev = "eth0", addr = BUF, bus = SLOT, len = LEN, dir = "FROM_DEVICE"}
  s:dev_write{dev = "eth0", addr = SLOT, len = FRAME, data = string.rep("55", FRAME)}
  if sync then
    s:dma_sync_for_cpu{dev = "eth0", bus = SLOT, len = FRAME, dir = "FROM_DEVICE"}
  end
  s:cpu_read{addr = BUF, len = 14}
  return s
end

local function rx_end(s)
  s:dma_unmap{dev = "eth0", bus = SLOT, len = LEN, dir = "FROM_DEVICE"}
  s:trace_end()
  return s
end

-- Windows: a device-to-memory transfer through a map register
local function win(kef, flush)
  local p = dma.platform("nt-doublebuffer")
  p:device("card")
  local s = dma.sim(p)
  local seg = {WBUF, false, WLEN}
  s:cpu_write{addr = WBUF, len = WLEN, data = string.rep("aa", WLEN)}
  if kef then
    s:KeFlushIoBuffers{dev = "card", seg = seg, ReadOperation = true, DmaOperation = true}
  end
  s:MapTransfer{dev = "card", bus = MAPBUF, seg = seg, len = WLEN, handle = 0x60, irp = 7,
                WriteToDevice = false}
  s:dev_write{dev = "card", addr = MAPBUF, len = WLEN, data = string.rep("55", WLEN)}
  if flush then
    s:FlushAdapterBuffers{dev = "card", seg = seg, len = WLEN, handle = 0x60, irp = 7,
                          WriteToDevice = false}
  end
  s:FreeMapRegisters{dev = "card", handle = 0x60}
  s:IoCompleteRequest{irp = 7, status = "STATUS_SUCCESS"}
  s:cpu_read{addr = WBUF, len = WLEN}
  return s
end

-- the choices (numbers) of names whose replay of s reads stale bytes / errs
local function which(s, names, test)
  local got = {}
  for i, n in ipairs(names) do
    if test(s:on(n)) then got[#got + 1] = i end
  end
  return got
end

local rx, capture, wbug

return {
  id = "bounce",
  order = 15,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "linux-ownership"},
  title = {
    en = "Bounce buffers: swiotlb and double-buffered map registers",
    ru = "Буферы bounce: swiotlb и регистры отображения с двойной буферизацией",
    zh = "bounce 缓冲区：swiotlb 与双缓冲的映射寄存器",
  },
  teaches = {
    en = "With bounce buffers the device works on a copy; dma_sync_single_for_cpu, dma_unmap and FlushAdapterBuffers copy it back, so leaving them out loses data even where the caches are coherent.",
    ru = "С буферами bounce устройство работает с копией; dma_sync_single_for_cpu, dma_unmap и FlushAdapterBuffers копируют её обратно, поэтому без них данные теряются даже при когерентном кэше.",
    zh = "使用 bounce 缓冲区时设备操作的是副本；dma_sync_single_for_cpu、dma_unmap 和 FlushAdapterBuffers 负责把它复制回来，因此即使缓存是一致的，省略它们也会丢失数据。",
  },
  steps = {
    { narrate = {
        en = "Some devices cannot reach every address, and some systems must not let them (swiotlb=force, confidential VMs). The OS then gives the device a bounce buffer and copies between it and the driver's buffer. Linux calls it swiotlb; Windows backs map registers with map buffers (double buffering).",
        ru = "Некоторые устройства не могут обращаться ко всем адресам, а некоторые системы им этого не позволяют (swiotlb=force, конфиденциальные ВМ). Тогда ОС даёт устройству буфер bounce и копирует данные между ним и буфером драйвера. В Linux это swiotlb; Windows подкрепляет регистры отображения своими буферами (двойная буферизация).",
        zh = "有些设备无法访问所有地址，有些系统也不允许它们访问（swiotlb=force、机密虚拟机）。这时操作系统给设备一个 bounce 缓冲区，并在它与驱动程序的缓冲区之间复制数据。Linux 称之为 swiotlb；Windows 用映射缓冲区支撑映射寄存器（双缓冲）。",
    } },
    { run = function()
        rx = rx_start(false)
        return rx
      end,
      say = {
        en = "x86 with swiotlb=force: the caches are coherent. The driver fills its buffer at 0x80000 with 0xaa and maps it FROM_DEVICE; the device gets the slot 0x7ff00000. A 64-byte frame of 0x55 arrives in the slot; the driver reads the header without dma_sync_single_for_cpu.",
        ru = "x86 с swiotlb=force: кэш когерентен. Драйвер заполняет буфер по адресу 0x80000 байтами 0xaa и отображает его с FROM_DEVICE; устройство получает слот 0x7ff00000. В слот приходит 64-байтный кадр из 0x55; драйвер читает заголовок без dma_sync_single_for_cpu.",
        zh = "启用 swiotlb=force 的 x86：缓存是一致的。驱动程序把 0x80000 处的缓冲区填为 0xaa，并以 FROM_DEVICE 映射；设备得到的是槽位 0x7ff00000。一个由 0x55 组成的 64 字节帧到达该槽位；驱动程序未调用 dma_sync_single_for_cpu 就读取帧头。",
    } },
    { predict = {
        en = "Which byte does the driver read at 0x80000?",
        ru = "Какой байт драйвер читает по адресу 0x80000?",
        zh = "驱动程序在 0x80000 处读到哪个字节？",
      },
      answer = 0xaa,
      verify = function() return rx:cpu_byte(BUF) end,
      explain = {
        en = "0xaa. No cache is stale here: the frame is simply not in the buffer. It sits in the bounce slot until dma_sync_single_for_cpu or dma_unmap_single copies it back.",
        ru = "0xaa. Кэш тут ни при чём: кадра просто нет в буфере. Он лежит в слоте bounce, пока dma_sync_single_for_cpu или dma_unmap_single не скопирует его обратно.",
        zh = "0xaa。这里没有陈旧的缓存：帧根本不在缓冲区里。它留在 bounce 槽位中，直到 dma_sync_single_for_cpu 或 dma_unmap_single 把它复制回来。",
    } },
    { run = function() return rx_end(rx) end,
      say = {
        en = "The driver unmaps: the copy back comes, too late for the read.",
        ru = "Драйвер снимает отображение: копирование обратно происходит, но уже после чтения.",
        zh = "驱动程序解除映射：复制回来了，但已晚于那次读取。",
    } },
    { expect = {{id = "DC006", at = 4}, "DC001"} },
    { predict = {
        en = "The engine reports DC006 on every Linux preset. On which does the read also return wrong bytes?",
        ru = "Движок сообщает о DC006 на всех платформах Linux. На каких чтение к тому же возвращает неверные байты?",
        zh = "引擎在所有 Linux 平台上都报告 DC006。在哪些平台上这次读取还会得到错误的字节？",
      },
      choices = LINUX,
      answer = {2, 3, 4},
      verify = function()
        if #rx:breaks_on(LINUX) < #LINUX then return {} end    -- the question's premise
        return which(rx, LINUX, function(o) return o:stale_reads() > 0 end)
      end,
      explain = {
        en = "All but plain x86. There the device snoops and writes the buffer itself, so the bytes are right by luck. swiotlb needs the copy; arm64 needs the invalidate. The same call does both.",
        ru = "Везде, кроме обычного x86. Там устройство отслеживает кэш и пишет прямо в буфер, и байты верны случайно. swiotlb нужно копирование, arm64 — недействительность строк. Оба делает один и тот же вызов.",
        zh = "除普通 x86 外都会。在普通 x86 上设备监听缓存并直接写入缓冲区，字节碰巧正确。swiotlb 需要复制，arm64 需要使缓存行无效，而这两件事由同一个调用完成。",
    } },
    { narrate = {
        en = "This is not only a model. The captures in tests/data/captures were recorded by a real Linux kernel on x86 with swiotlb=force. A test module, dmabug, ran 24 sequences against the real DMA API; 13 of them break its rules.",
        ru = "Это не только модель. Трассы в tests/data/captures записаны настоящим ядром Linux на x86 с swiotlb=force. Тестовый модуль dmabug выполнил 24 последовательности вызовов настоящего DMA API; 13 из них нарушают его правила.",
        zh = "这不只是模型。tests/data/captures 中的跟踪由真实的 Linux 内核在启用 swiotlb=force 的 x86 上录制。测试模块 dmabug 对真实的 DMA API 执行了 24 个调用序列，其中 13 个违反了规则。",
    } },
    { run = function()
        capture = dma.load("tests/data/captures/buggy/trace.dat", "x86-swiotlb")
        return capture
      end,
      say = {
        en = "The engine replays that capture as x86-swiotlb.",
        ru = "Движок воспроизводит эту трассу как x86-swiotlb.",
        zh = "引擎以 x86-swiotlb 重放这份跟踪。",
    } },
    { predict = {
        en = "On that coherent x86 machine, did the buggy sequences read wrong data?",
        ru = "Читали ли ошибочные последовательности неверные данные на этой когерентной машине x86?",
        zh = "在那台缓存一致的 x86 机器上，有错误的序列读到错误的数据了吗？",
      },
      choices = {
        { en = "no: x86 snoops, the syncs do nothing there", ru = "нет: x86 отслеживает кэш, синхронизация там ничего не делает", zh = "没有：x86 监听缓存，同步在那里什么也不做" },
        { en = "yes: 12 reads came back stale", ru = "да: 12 чтений вернули устаревшие данные", zh = "是的：有 12 次读取得到陈旧数据" },
      },
      answer = 2,
      verify = function()
        local n = capture:stale_reads()
        return n == 0 and 1 or n == 12 and 2 or n
      end,
      explain = {
        en = "Yes. The recording machine saw 12 stale reads, and the engine, replaying the capture with its access markers, predicts exactly those 12. The syncs' cache work is free on x86; their copies are not.",
        ru = "Да. На записывающей машине 12 чтений вернули устаревшие данные, и движок, воспроизводя трассу с её метками обращений, предсказывает ровно эти 12. Работа с кэшем на x86 ничего не стоит, а копирование — не пустая операция.",
        zh = "是的。录制机器上有 12 次读取得到陈旧数据，引擎根据跟踪中的访问标记重放，恰好预测出这 12 次。在 x86 上同步的缓存操作没有代价，但复制操作必不可少。",
    } },
    { run = function() return rx_end(rx_start(true)) end,
      say = {
        en = "The fixed driver: dma_sync_single_for_cpu of the 64 bytes received, then the read, then the unmap.",
        ru = "Исправленный драйвер: dma_sync_single_for_cpu для 64 полученных байтов, затем чтение, затем unmap.",
        zh = "修正后的驱动程序：对收到的 64 个字节调用 dma_sync_single_for_cpu，然后读取，再解除映射。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_sync_for_cpu", gives = {"DC001", "DC006"} },
        { call = "dma_map", gives = {"DC011"} },
        { call = "dma_unmap", gives = {"DC012"} },
      },
      say = {
        en = "Without the sync: the old bytes (DC001) of a buffer the device owns (DC006). Without the map the device writes an unmapped slot (DC011). Without the unmap the mapping and its slot leak (DC012).",
        ru = "Без синхронизации — старые байты (DC001) буфера, принадлежащего устройству (DC006). Без map устройство пишет в неотображённый слот (DC011). Без unmap отображение и его слот утекают (DC012).",
        zh = "没有同步：读到归设备所有的缓冲区（DC006）中的旧字节（DC001）。没有 map：设备写入未映射的槽位（DC011）。没有 unmap：映射及其槽位泄漏（DC012）。",
    } },
    { narrate = {
        en = "Windows, nt-doublebuffer: coherent, map registers backed by map buffers. MapTransfer copies the buffer into the map buffer when WriteToDevice is TRUE; for a device-to-memory transfer FlushAdapterBuffers copies the map buffer back.",
        ru = "Windows, nt-doublebuffer: кэш когерентен, регистры отображения подкреплены буферами. При WriteToDevice=TRUE MapTransfer копирует буфер в буфер отображения; при передаче из устройства в память FlushAdapterBuffers копирует его обратно.",
        zh = "Windows，nt-doublebuffer：缓存一致，映射寄存器由映射缓冲区支撑。WriteToDevice 为 TRUE 时 MapTransfer 把缓冲区复制到映射缓冲区；对于设备到内存的传输，由 FlushAdapterBuffers 把映射缓冲区复制回来。",
    } },
    { run = function()
        wbug = win(true, false)
        return wbug
      end,
      say = {
        en = "The driver calls KeFlushIoBuffers and MapTransfer (WriteToDevice=FALSE); the card writes 0x55 into the map buffer at 0xd0000000; the driver frees the map registers, completes the IRP and reads the buffer.",
        ru = "Драйвер вызывает KeFlushIoBuffers и MapTransfer (WriteToDevice=FALSE); карта записывает 0x55 в буфер отображения по адресу 0xd0000000; драйвер освобождает регистры отображения, завершает IRP и читает буфер.",
        zh = "驱动程序调用 KeFlushIoBuffers 和 MapTransfer（WriteToDevice=FALSE）；网卡把 0x55 写入 0xd0000000 处的映射缓冲区；驱动程序释放映射寄存器，完成 IRP 并读取缓冲区。",
    } },
    { narrate = function()
        local got = wbug:cpu_byte(WBUF)
        return {
          en = ("The driver reads 0x%02x: the card's 0x55 never left the map buffer."):format(got),
          ru = ("Драйвер читает 0x%02x: байты 0x55 карты так и остались в буфере отображения."):format(got),
          zh = ("驱动程序读到 0x%02x：网卡写入的 0x55 一直留在映射缓冲区中。"):format(got),
        }
      end },
    { predict = {
        en = "Which call is missing?",
        ru = "Какого вызова не хватает?",
        zh = "缺少哪个调用？",
      },
      choices = {"KeFlushIoBuffers", "FlushAdapterBuffers", "MapTransfer", "IoCompleteRequest"},
      answer = 2,
      verify = function()
        local names = {"KeFlushIoBuffers", "FlushAdapterBuffers", "MapTransfer", "IoCompleteRequest"}
        for _, f in ipairs(wbug:findings()) do
          for i, n in ipairs(names) do
            if f.error and f.root and f.omitted == n then return i end
          end
        end
      end,
      explain = {
        en = "FlushAdapterBuffers, at the end of the transfer: it is what copies the map buffer back. KeFlushIoBuffers does nothing on a coherent platform (the engine notes it as DC013, information).",
        ru = "FlushAdapterBuffers в конце передачи: именно он копирует буфер отображения обратно. KeFlushIoBuffers на когерентной платформе ничего не делает (движок отмечает это как DC013, информация).",
        zh = "传输结束时的 FlushAdapterBuffers：正是它把映射缓冲区复制回来。在缓存一致的平台上 KeFlushIoBuffers 不执行任何操作（引擎将其记为 DC013，提示信息）。",
    } },
    { expect = {"DC004", "DC001"} },
    { run = function() return win(true, true) end,
      say = {
        en = "The fixed driver calls FlushAdapterBuffers before FreeMapRegisters.",
        ru = "Исправленный драйвер вызывает FlushAdapterBuffers перед FreeMapRegisters.",
        zh = "修正后的驱动程序在 FreeMapRegisters 之前调用 FlushAdapterBuffers。",
    } },
    { expect = {} },
    { omissions = {
        { call = "FlushAdapterBuffers", gives = {"DC001", "DC004"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "KeFlushIoBuffers", gives = {} },
      },
      say = {
        en = "Without FlushAdapterBuffers the data stays in the map buffer (DC004) and the read is stale (DC001). Without MapTransfer the card writes an unmapped address (DC011). Without KeFlushIoBuffers nothing breaks here.",
        ru = "Без FlushAdapterBuffers данные остаются в буфере отображения (DC004), и чтение устаревшее (DC001). Без MapTransfer карта пишет по неотображённому адресу (DC011). Без KeFlushIoBuffers здесь ничего не ломается.",
        zh = "没有 FlushAdapterBuffers，数据留在映射缓冲区中（DC004），读取到陈旧数据（DC001）。没有 MapTransfer，网卡写入未映射的地址（DC011）。没有 KeFlushIoBuffers，在这里什么也不会出错。",
    } },
    { predict = {
        en = "Keep FlushAdapterBuffers, leave KeFlushIoBuffers out: on which platforms does the driver break?",
        ru = "FlushAdapterBuffers оставлен, KeFlushIoBuffers убран: на каких платформах драйвер работает неправильно?",
        zh = "保留 FlushAdapterBuffers、去掉 KeFlushIoBuffers：驱动程序在哪些平台上会出错？",
      },
      choices = WINDOWS,
      answer = {1, 3},
      verify = function() return which(win(false, true), WINDOWS, function(o) return #o:errors() > 0 end) end,
      explain = {
        en = "On the noncoherent ones: the dirty 0xaa lines sit over the device's data (DC003). KeFlushIoBuffers costs almost nothing where it does nothing, so a portable driver always calls both.",
        ru = "На некогерентных: изменённые строки с 0xaa лежат поверх данных устройства (DC003). KeFlushIoBuffers почти ничего не стоит там, где ничего не делает, поэтому переносимый драйвер всегда вызывает оба.",
        zh = "在缓存不一致的平台上：含 0xaa 的脏缓存行压在设备数据之上（DC003）。KeFlushIoBuffers 在不起作用的平台上几乎没有开销，因此可移植的驱动程序总是两者都调用。",
    } },
  },
}
