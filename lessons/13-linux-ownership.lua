-- Lesson 13: Linux streaming DMA: dma_map / dma_unmap / dma_sync ownership;
-- arm64's rule (map cleans, unmap invalidates); speculative prefetch and
-- why unmap invalidates again.  The rules: docs/model.md section 2, Linux.
local BUF, LEN, FRAME = 0x80000, 256, 64

local function receiver(preset)
  local p = dma.platform(preset)
  p:device("eth0")
  return dma.sim(p)
end

local function map(s)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}   -- the driver clears it
  s:dma_map{dev = "eth0", addr = BUF, bus = BUF, len = LEN, dir = "FROM_DEVICE"}
end

-- a frame arrives; the driver reads its header, with or without the sync
local function receive(s, sync)
  s:dev_write{dev = "eth0", addr = BUF, len = FRAME, data = string.rep("55", FRAME)}
  if sync then
    s:dma_sync_for_cpu{dev = "eth0", bus = BUF, len = LEN, dir = "FROM_DEVICE"}
  end
  s:cpu_read{addr = BUF, len = 14}
  s:dma_unmap{dev = "eth0", bus = BUF, len = LEN, dir = "FROM_DEVICE"}
end

local rx, spec

return {
  id = "linux-ownership",
  order = 13,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache"},
  title = {
    en = "Linux: who owns the buffer? dma_map, dma_unmap, dma_sync",
    ru = "Linux: кому принадлежит буфер? dma_map, dma_unmap, dma_sync",
    zh = "Linux：缓冲区归谁所有？dma_map、dma_unmap、dma_sync",
  },
  teaches = {
    en = "A streaming mapping belongs to the device from dma_map until dma_sync_single_for_cpu or dma_unmap; on arm64 map cleans and unmap invalidates, which also drops lines the CPU prefetched during the transfer.",
    ru = "Потоковое отображение принадлежит устройству от dma_map до dma_sync_single_for_cpu или dma_unmap; на arm64 map записывает кэш в память, а unmap делает строки недействительными, удаляя и те, что процессор спекулятивно загрузил во время передачи.",
    zh = "流式映射从 dma_map 起归设备所有，直到 dma_sync_single_for_cpu 或 dma_unmap；在 arm64 上 map 会清理（写回）缓存，unmap 会使缓存行无效，这也会丢弃处理器在传输期间推测性预取的缓存行。",
  },
  steps = {
    { narrate = {
        en = "The Linux DMA API hands a buffer back and forth. dma_map_single gives it to the device; dma_sync_single_for_cpu or dma_unmap_single give it back to the CPU; dma_sync_single_for_device gives it to the device again. While the device owns it, the CPU must not touch it.",
        ru = "DMA API Linux передаёт буфер туда и обратно. dma_map_single отдаёт его устройству; dma_sync_single_for_cpu или dma_unmap_single возвращают его процессору; dma_sync_single_for_device снова отдаёт устройству. Пока буфер принадлежит устройству, процессор не должен к нему обращаться.",
        zh = "Linux DMA API 在处理器与设备之间来回移交缓冲区。dma_map_single 把它交给设备；dma_sync_single_for_cpu 或 dma_unmap_single 把它交还处理器；dma_sync_single_for_device 再次交给设备。在设备拥有缓冲区期间，处理器不得访问它。",
    } },
    { run = function()
        rx = receiver("arm-noncoherent")
        map(rx)
        return rx
      end,
      say = {
        en = "On a noncoherent arm64 system a network driver clears a receive buffer (0xaa bytes) and maps it FROM_DEVICE.",
        ru = "На некогерентной системе arm64 сетевой драйвер заполняет приёмный буфер байтами 0xaa и отображает его с FROM_DEVICE.",
        zh = "在非一致性的 arm64 系统上，网络驱动程序把接收缓冲区填为 0xaa 字节，并以 FROM_DEVICE 映射它。",
    } },
    { predict = {
        en = "After dma_map, what is the state of the buffer's first cache line?",
        ru = "В каком состоянии первая строка кэша буфера после dma_map?",
        zh = "dma_map 之后，缓冲区第一个缓存行处于什么状态？",
      },
      choices = {
        { en = "dirty: memory is still old", ru = "изменённая: в памяти старые данные", zh = "脏：内存中仍是旧数据" },
        { en = "clean: written back, still cached", ru = "чистая: записана в память, но осталась в кэше", zh = "干净：已写回，但仍在缓存中" },
        { en = "not cached", ru = "не в кэше", zh = "不在缓存中" },
      },
      answer = 2,
      verify = function()
        local l = rx:line(BUF)
        return not l and 3 or l.state == "dirty" and 1 or 2
      end,
      explain = {
        en = "arm64's map cleans: dirty lines go to memory, whatever the direction, so they cannot be written back over the device's data later. It does not invalidate: the clean copy stays cached.",
        ru = "На arm64 map записывает изменённые строки в память при любом направлении, чтобы позже они не перезаписали данные устройства. Он не делает их недействительными: чистая копия остаётся в кэше.",
        zh = "arm64 的 map 会清理缓存：无论方向如何，脏缓存行都会写回内存，以免之后覆盖设备的数据。它不会使缓存行无效：干净的副本仍留在缓存中。",
    } },
    { run = function() receive(rx, true) end,
      say = {
        en = "A 64-byte frame of 0x55 arrives; the driver calls dma_sync_single_for_cpu, reads the header, and unmaps.",
        ru = "Приходит 64-байтный кадр из байтов 0x55; драйвер вызывает dma_sync_single_for_cpu, читает заголовок и снимает отображение.",
        zh = "一个由 0x55 组成的 64 字节帧到达；驱动程序调用 dma_sync_single_for_cpu，读取帧头，然后解除映射。",
    } },
    { predict = {
        en = "Which byte does the driver read at the start of the buffer?",
        ru = "Какой байт драйвер читает в начале буфера?",
        zh = "驱动程序在缓冲区开头读到哪个字节？",
      },
      answer = 0x55,
      verify = function() return rx:cpu_byte(BUF) end,
      explain = {
        en = "0x55: dma_sync_single_for_cpu(FROM_DEVICE) invalidated the clean copy of 0xaa the map left in the cache, so the read comes from memory.",
        ru = "0x55: dma_sync_single_for_cpu (FROM_DEVICE) сделал недействительной чистую копию 0xaa, оставленную в кэше после map, и чтение идёт из памяти.",
        zh = "0x55：dma_sync_single_for_cpu（FROM_DEVICE）使 map 留在缓存中的 0xaa 干净副本无效，因此读取来自内存。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_sync_for_cpu", gives = {"DC001", "DC006"} },
        { call = "dma_map", gives = {"DC011"} },
      },
      say = {
        en = "Without the sync the CPU reads a buffer the device owns (DC006) and gets the stale cached 0xaa (DC001). Without the map the device writes where nothing is mapped (DC011).",
        ru = "Без синхронизации процессор читает буфер, принадлежащий устройству (DC006), и получает устаревшие 0xaa из кэша (DC001). Без map устройство пишет туда, где ничего не отображено (DC011).",
        zh = "没有同步，处理器读取归设备所有的缓冲区（DC006），得到缓存中陈旧的 0xaa（DC001）。没有 map，设备写入的是未映射的地址（DC011）。",
    } },
    { predict = {
        en = "Without dma_sync_single_for_cpu, on which platforms does the engine report a bug?",
        ru = "На каких платформах движок сообщает об ошибке, если нет dma_sync_single_for_cpu?",
        zh = "没有 dma_sync_single_for_cpu 时，引擎在哪些平台上报告错误？",
      },
      choices = {"arm-noncoherent", "arm-speculative", "x86", "x86-swiotlb"},
      answer = {1, 2, 3, 4},
      verify = function()
        local w = receiver("arm-noncoherent")
        map(w)
        receive(w, false)
        return w:breaks_on{"arm-noncoherent", "arm-speculative", "x86", "x86-swiotlb"}
      end,
      explain = {
        en = "All of them. On x86 the bytes happen to be right (the device snoops the cache), but the CPU still read a buffer the device owned: DC006 is the API's rule, not the cache's. With swiotlb the read is even stale on x86: the data is still in the bounce buffer.",
        ru = "На всех. На x86 байты случайно верны (устройство отслеживает кэш), но процессор всё равно читал буфер, принадлежащий устройству: DC006 — правило API, а не кэша. С swiotlb чтение устаревшее даже на x86: данные ещё в буфере bounce.",
        zh = "全部。在 x86 上字节碰巧是正确的（设备会监听缓存），但处理器仍然读取了归设备所有的缓冲区：DC006 是 API 的规则，而不是缓存的规则。使用 swiotlb 时即使在 x86 上读取也是陈旧的：数据仍在 bounce 缓冲区中。",
    } },
    { narrate = {
        en = "arm64 cores may fill cache lines speculatively, at any time, from memory. Suppose one does so while the frame is arriving.",
        ru = "Ядра arm64 могут спекулятивно загружать строки кэша из памяти в любой момент. Допустим, это происходит, пока кадр ещё приходит.",
        zh = "arm64 内核可能随时从内存推测性地填充缓存行。假设这恰好发生在帧到达的过程中。",
    } },
    { run = function()
        spec = receiver("arm-speculative")
        map(spec)
        spec:spec_fill{addr = BUF, len = LEN}      -- prefetched: the old 0xaa
        spec:dev_write{dev = "eth0", addr = BUF, len = FRAME, data = string.rep("55", FRAME)}
        spec:dma_unmap{dev = "eth0", bus = BUF, len = LEN, dir = "FROM_DEVICE"}
        spec:cpu_read{addr = BUF, len = 14}
        return spec
      end,
      say = {
        en = "The CPU prefetches the buffer (still 0xaa in memory), then the device writes the frame, then the driver unmaps and reads.",
        ru = "Процессор заранее загружает буфер (в памяти ещё 0xaa), затем устройство записывает кадр, затем драйвер снимает отображение и читает.",
        zh = "处理器预取缓冲区（内存中仍是 0xaa），随后设备写入帧，然后驱动程序解除映射并读取。",
    } },
    { predict = {
        en = "Which byte does the read after dma_unmap return?",
        ru = "Какой байт вернёт чтение после dma_unmap?",
        zh = "dma_unmap 之后的读取返回哪个字节？",
      },
      answer = 0x55,
      verify = function() return spec:cpu_byte(BUF) end,
      explain = {
        en = "0x55: unmap(FROM_DEVICE) invalidates the buffer's lines once more, dropping the line filled during the transfer. That is why the invalidate belongs at unmap (and sync_for_cpu), after the transfer, not only at map.",
        ru = "0x55: unmap (FROM_DEVICE) ещё раз делает строки буфера недействительными и удаляет строку, загруженную во время передачи. Поэтому недействительность нужна при unmap (и sync_for_cpu), после передачи, а не только при map.",
        zh = "0x55：unmap（FROM_DEVICE）再次使缓冲区的缓存行无效，丢弃了传输期间填充的缓存行。因此使无效操作必须在传输之后的 unmap（以及 sync_for_cpu）中进行，而不仅仅在 map 时。",
    } },
    { expect = {} },
    { omissions = {{ call = "dma_unmap", gives = {"DC001", "DC006"} }},
      say = {
        en = "Leave dma_unmap out: the prefetched 0xaa is read.",
        ru = "Уберите dma_unmap: читаются заранее загруженные 0xaa.",
        zh = "去掉 dma_unmap：读到的是预取的 0xaa。",
    } },
  },
}
