-- Lesson 16: recycling receive buffers the page_pool way.  A buffer mapped
-- once with DMA_ATTR_SKIP_CPU_SYNC, synced for the device before each reuse
-- and for the CPU over the bytes received only.  The rules: docs/engine.md,
-- "DMA_ATTR_SKIP_CPU_SYNC, per byte"; cf. traces/samples/skip-unmap-nosync.*.dmt.
local BUF, MAPLEN, HEAD, MAX = 0x80000, 2048, 0x40, 1536   -- headroom, max_len
local FRAMES = { {"11", 1000}, {"22", 600} }
local LINUX = {"arm-noncoherent", "arm-speculative", "x86", "x86-swiotlb"}
-- the sync_for_cpu of frame 2 the partial-sync question offers: {bus, len}
local SPANS = { {BUF, MAPLEN}, {BUF + HEAD, MAX}, {BUF + HEAD, 600}, {BUF + HEAD, 14} }

local plat = dma.platform("arm-noncoherent")
plat:device("eth0")

local function sync(s, kind, bus, len)
  s[kind](s, {dev = "eth0", bus = bus, len = len, dir = "FROM_DEVICE"})
end

-- one frame: handed to the NIC, received, read, its header rewritten in
-- place by the stack; o.nosync_dev = i leaves out frame i's sync_for_device,
-- o.span replaces frame 2's sync_for_cpu
local function frame(s, i, o)
  local byte, len = FRAMES[i][1], FRAMES[i][2]
  if o.nosync_dev ~= i then sync(s, "dma_sync_for_device", BUF + HEAD, MAX) end
  s:dev_write{dev = "eth0", addr = BUF + HEAD, len = len, data = string.rep(byte, len)}
  s:evict{addr = BUF + HEAD, len = 64}       -- other work needs that cache set
  local span = i == 2 and o.span or {BUF + HEAD, len}
  sync(s, "dma_sync_for_cpu", span[1], span[2])
  s:cpu_read{addr = BUF + HEAD, len = len}
  s:cpu_write{addr = BUF + HEAD, len = 14, data = string.rep("ee", 14)}
end

local function pool(o)
  local s = dma.sim(plat)
  s:dma_map{dev = "eth0", addr = BUF, bus = BUF, len = MAPLEN, dir = "FROM_DEVICE",
            SKIP_CPU_SYNC = true}
  frame(s, 1, o)
  frame(s, 2, o)
  s:dma_unmap{dev = "eth0", bus = BUF, len = MAPLEN, dir = "FROM_DEVICE", SKIP_CPU_SYNC = true}
  s:trace_end()
  return s
end

-- the pool torn down: the last frame, then the DMA_ATTR_SKIP_CPU_SYNC unmap
-- (traces/samples/skip-unmap-nosync.bug.dmt and .ok.dmt, built here so that
-- the lesson needs no repository file)
local function teardown_run(synced)
  local s = dma.sim(plat)
  s:dma_map{dev = "eth0", addr = BUF, bus = BUF, len = MAPLEN, dir = "FROM_DEVICE",
            SKIP_CPU_SYNC = true}
  sync(s, "dma_sync_for_device", BUF, MAX)
  s:dev_write{dev = "eth0", addr = BUF + HEAD, len = 1000, data = string.rep("33", 1000)}
  if synced then
    sync(s, "dma_sync_for_cpu", BUF + HEAD, 1000)
    s:cpu_read{addr = BUF + HEAD, len = 64}
  end
  s:dma_unmap{dev = "eth0", bus = BUF, len = MAPLEN, dir = "FROM_DEVICE", SKIP_CPU_SYNC = true}
  s:cpu_read{addr = BUF + HEAD, len = synced and 1000 or 64}
  s:trace_end()
  return s
end

local bug, teardown

return {
  id = "rx-recycle",
  order = 16,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "linux-ownership"},
  title = {
    en = "Recycling receive buffers: DMA_ATTR_SKIP_CPU_SYNC and partial syncs",
    ru = "Повторное использование приёмных буферов: DMA_ATTR_SKIP_CPU_SYNC и частичная синхронизация",
    zh = "接收缓冲区的循环使用：DMA_ATTR_SKIP_CPU_SYNC 与部分同步",
  },
  teaches = {
    en = "A buffer mapped once with DMA_ATTR_SKIP_CPU_SYNC owes a dma_sync_single_for_device before every reuse and a dma_sync_single_for_cpu of the bytes received before every read, including the last one before the unmap.",
    ru = "Буфер, отображённый один раз с DMA_ATTR_SKIP_CPU_SYNC, требует dma_sync_single_for_device перед каждым повторным использованием и dma_sync_single_for_cpu полученных байтов перед каждым чтением, в том числе последним перед unmap.",
    zh = "以 DMA_ATTR_SKIP_CPU_SYNC 一次性映射的缓冲区，每次重用前都需要 dma_sync_single_for_device，每次读取前都需要对收到的字节调用 dma_sync_single_for_cpu，包括 unmap 之前的最后一次。",
  },
  steps = {
    { narrate = {
        en = "Mapping costs time, so a network driver's page_pool maps each receive buffer once, with DMA_ATTR_SKIP_CPU_SYNC: the map does no cache work. Before each reuse it calls dma_sync_single_for_device; after each frame, dma_sync_single_for_cpu over the bytes received only.",
        ru = "Отображение стоит времени, поэтому page_pool сетевого драйвера отображает каждый приёмный буфер один раз, с DMA_ATTR_SKIP_CPU_SYNC: map не трогает кэш. Перед каждым повторным использованием вызывается dma_sync_single_for_device, после каждого кадра — dma_sync_single_for_cpu только для полученных байтов.",
        zh = "映射是有开销的，所以网络驱动程序的 page_pool 对每个接收缓冲区只映射一次，并带上 DMA_ATTR_SKIP_CPU_SYNC：map 不做任何缓存操作。每次重用前调用 dma_sync_single_for_device；每收到一帧，只对收到的字节调用 dma_sync_single_for_cpu。",
    } },
    { run = function() return pool{} end,
      say = {
        en = "arm-noncoherent. A 2048-byte buffer, 64 bytes of headroom, max_len 1536. Frame 1 (1000 bytes of 0x11), then frame 2 (600 bytes of 0x22). The stack reads each frame and rewrites its 14-byte header in place (0xee).",
        ru = "arm-noncoherent. Буфер 2048 байт, 64 байта запаса в начале, max_len 1536. Кадр 1 (1000 байт 0x11), затем кадр 2 (600 байт 0x22). Сетевой стек читает каждый кадр и переписывает его 14-байтный заголовок на месте (0xee).",
        zh = "arm-noncoherent。缓冲区 2048 字节，前部预留 64 字节，max_len 为 1536。先是帧 1（1000 个 0x11 字节），然后是帧 2（600 个 0x22 字节）。协议栈读取每一帧，并就地改写其 14 字节的帧头（0xee）。",
    } },
    { expect = {} },
    { predict = {
        en = "Frame 2 is 600 bytes. How much must its dma_sync_single_for_cpu cover before the stack reads the frame?",
        ru = "Кадр 2 занимает 600 байт. Какую область должен покрыть его dma_sync_single_for_cpu, прежде чем стек прочитает кадр?",
        zh = "帧 2 有 600 字节。在协议栈读取该帧之前，它的 dma_sync_single_for_cpu 至少要覆盖多少？",
      },
      choices = {
        { en = "the whole 2048-byte mapping", ru = "всё отображение, 2048 байт", zh = "整个 2048 字节的映射" },
        { en = "max_len, 1536 bytes", ru = "max_len, 1536 байт", zh = "max_len，1536 字节" },
        { en = "the 600 bytes received", ru = "600 полученных байтов", zh = "收到的 600 字节" },
        { en = "the 14-byte header", ru = "14-байтный заголовок", zh = "14 字节的帧头" },
      },
      answer = 3,
      verify = function()
        for i = #SPANS, 1, -1 do                     -- the smallest span that is enough
          if #pool{span = SPANS[i]}:errors() == 0 then return i end
        end
      end,
      explain = {
        en = "The 600 bytes received, the bytes the CPU reads. Each cache line costs time to invalidate, so syncing the whole buffer for a short frame is waste. Syncing only the header and reading on is DC006: the rest still belongs to the device.",
        ru = "600 полученных байтов — те, что читает процессор. Каждая строка кэша обходится во время, так что синхронизировать весь буфер ради короткого кадра расточительно. Синхронизировать один заголовок и читать дальше — DC006: остальное ещё принадлежит устройству.",
        zh = "收到的 600 字节，即处理器要读取的字节。使每个缓存行无效都要花时间，为一个短帧同步整个缓冲区是浪费。只同步帧头却继续往后读则是 DC006：其余字节仍归设备所有。",
    } },
    { omissions = {
        { call = "dma_map", gives = {"DC011"} },
        { call = "dma_sync_for_device", at = 2, gives = {} },
        { call = "dma_sync_for_cpu", at = 5, gives = {"DC006"} },
        { call = "dma_sync_for_device", at = 8, gives = {"DC001", "DC003", "DC006"} },
        { call = "dma_sync_for_cpu", at = 11, gives = {"DC001", "DC006"} },
        { call = "dma_unmap", gives = {"DC012"} },
      },
      say = {
        en = "Frame 1 gets away without its syncs' data work: the fresh buffer had nothing cached (DC006 only). Frame 2 does not: its header line is dirty (0xee) and cached. Without the unmap the mapping leaks (DC012).",
        ru = "Кадру 1 везёт: в свежем буфере ничего не было в кэше, и без синхронизации остаётся лишь DC006. Кадру 2 — нет: строка его заголовка изменена (0xee) и лежит в кэше. Без unmap отображение утекает (DC012).",
        zh = "帧 1 侥幸：新缓冲区在缓存中什么也没有，省略同步只得到 DC006。帧 2 则不然：其帧头所在的缓存行是脏的（0xee）且在缓存中。没有 unmap，映射会泄漏（DC012）。",
    } },
    { run = function()
        bug = pool{nosync_dev = 2}
        return bug
      end,
      say = {
        en = "The same driver gives the buffer back for frame 2 without dma_sync_single_for_device. While frame 2 arrives, other work evicts the header's line.",
        ru = "Тот же драйвер отдаёт буфер под кадр 2 без dma_sync_single_for_device. Пока кадр 2 приходит, другая работа вытесняет из кэша строку заголовка.",
        zh = "同一个驱动程序在帧 2 之前交还缓冲区，却没有调用 dma_sync_single_for_device。帧 2 到达期间，其他工作把帧头所在的缓存行逐出了缓存。",
    } },
    { predict = {
        en = "Which byte does the stack read at the start of frame 2?",
        ru = "Какой байт стек читает в начале кадра 2?",
        zh = "协议栈在帧 2 开头读到哪个字节？",
      },
      answer = 0xee,
      verify = function()
        for _, f in ipairs(bug:findings()) do
          if f.id == "DC001" then return f.seen[1] end
        end
        return 0x22
      end,
      explain = {
        en = "0xee, frame 1's rewritten header. The line was still dirty when the NIC got the buffer back; the eviction wrote it back over frame 2, and dma_sync_single_for_cpu then read memory.",
        ru = "0xee, переписанный заголовок кадра 1. Строка ещё была изменённой, когда сетевая карта снова получила буфер; вытеснение записало её поверх кадра 2, и после dma_sync_single_for_cpu чтение взяло это из памяти.",
        zh = "0xee，即帧 1 被改写的帧头。网卡再次得到缓冲区时该缓存行仍是脏的；逐出时它被写回，覆盖了帧 2，之后 dma_sync_single_for_cpu 使读取来自内存。",
    } },
    { predict = {
        en = "Which call is missing?",
        ru = "Какого вызова не хватает?",
        zh = "缺少哪个调用？",
      },
      choices = {"dma_sync_single_for_cpu", "dma_sync_single_for_device", "dma_unmap_single", "dma_map_single"},
      answer = 2,
      verify = function()
        local kinds = {"dma_sync_for_cpu", "dma_sync_for_device", "dma_unmap", "dma_map"}
        local root = bug:findings()[1]
        for i, k in ipairs(kinds) do
          if root.omitted == k then return i end
        end
      end,
      explain = {
        en = "dma_sync_single_for_device before the reuse: it cleans the dirty header line, so nothing can be written back over the next frame. DMA_ATTR_SKIP_CPU_SYNC moved that work from the map to the driver.",
        ru = "dma_sync_single_for_device перед повторным использованием: он записывает изменённую строку заголовка в память, и поверх следующего кадра уже нечего записывать. DMA_ATTR_SKIP_CPU_SYNC переложил эту работу с map на драйвер.",
        zh = "重用前的 dma_sync_single_for_device：它把脏的帧头缓存行写回内存，这样就没有什么会被写回覆盖下一帧。DMA_ATTR_SKIP_CPU_SYNC 把这项工作从 map 转给了驱动程序。",
    } },
    { expect = {{id = "DC006", at = 8}, "DC003", "DC001"} },
    { narrate = {
        en = "Tearing the pool down, a driver unmaps with DMA_ATTR_SKIP_CPU_SYNC too. That unmap neither invalidates nor copies a bounce slot back: whatever the NIC wrote since the last dma_sync_single_for_cpu is never synced.",
        ru = "При разборе пула драйвер тоже снимает отображение с DMA_ATTR_SKIP_CPU_SYNC. Такой unmap не делает строки недействительными и не копирует слот bounce обратно: всё, что карта записала после последнего dma_sync_single_for_cpu, так и не синхронизируется.",
        zh = "销毁 page_pool 时，驱动程序同样带 DMA_ATTR_SKIP_CPU_SYNC 解除映射。这样的 unmap 既不使缓存行无效，也不把 bounce 槽位复制回来：网卡在最后一次 dma_sync_single_for_cpu 之后写入的内容永远不会被同步。",
    } },
    { run = function()
        teardown = teardown_run(false)
        return teardown
      end,
      say = {
        en = "As in traces/samples/skip-unmap-nosync.bug.dmt: a last frame of 1000 bytes arrives, the driver unmaps with SKIP_CPU_SYNC, then reads it.",
        ru = "Как в traces/samples/skip-unmap-nosync.bug.dmt: приходит последний кадр в 1000 байт, драйвер снимает отображение с SKIP_CPU_SYNC и затем читает его.",
        zh = "与 traces/samples/skip-unmap-nosync.bug.dmt 相同：最后一个 1000 字节的帧到达，驱动程序带 SKIP_CPU_SYNC 解除映射，然后读取该帧。",
    } },
    { expect = {"DC001"} },
    { predict = {
        en = "On which platforms does this driver break?",
        ru = "На каких платформах этот драйвер работает неправильно?",
        zh = "这个驱动程序在哪些平台上会出错？",
      },
      choices = LINUX,
      answer = {1, 2, 4},
      verify = function()
        local broke, got = {}, {}
        for _, n in ipairs(teardown:breaks_on(LINUX)) do broke[n] = true end
        for i, n in ipairs(LINUX) do
          if broke[n] then got[#got + 1] = i end
        end
        return got
      end,
      explain = {
        en = "arm-speculative: a line prefetched before the NIC wrote survives. x86-swiotlb: the slot is never copied back. arm-noncoherent: latent, stale if any line was cached before (an earlier frame). x86 snoops: fine.",
        ru = "arm-speculative: строка, загруженная заранее до записи карты, остаётся. x86-swiotlb: слот не копируется обратно. arm-noncoherent: скрытая ошибка, данные устаревшие, если строка была в кэше раньше (прежний кадр). x86 отслеживает кэш: всё верно.",
        zh = "arm-speculative：网卡写入之前预取的缓存行仍在。x86-swiotlb：槽位从未复制回来。arm-noncoherent：潜在错误，只要之前有缓存行在缓存中（例如上一帧）就会读到陈旧数据。x86 监听缓存：没问题。",
    } },
    { run = function() return teardown_run(true) end,
      say = {
        en = "The fix: dma_sync_single_for_cpu of the 1000 bytes received while still mapped, then the SKIP_CPU_SYNC unmap.",
        ru = "Исправление: dma_sync_single_for_cpu для 1000 полученных байтов, пока буфер ещё отображён, затем unmap с SKIP_CPU_SYNC.",
        zh = "修正：在仍处于映射状态时对收到的 1000 字节调用 dma_sync_single_for_cpu，然后带 SKIP_CPU_SYNC 解除映射。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_sync_for_cpu", gives = {"DC001", "DC006"} },
        { call = "dma_sync_for_device", gives = {} },
        { call = "dma_unmap", gives = {"DC012"} },
      },
      say = {
        en = "Here the sync for the CPU is the one that matters: without it the read before the unmap touches the device's bytes (DC006) and the one after is stale (DC001).",
        ru = "Здесь важна именно синхронизация для процессора: без неё чтение до unmap касается байтов устройства (DC006), а чтение после него устаревшее (DC001).",
        zh = "这里关键的是为处理器同步：没有它，unmap 之前的读取触及归设备所有的字节（DC006），之后的读取得到陈旧数据（DC001）。",
    } },
  },
}
