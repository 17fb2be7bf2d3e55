-- Lesson 14: cache-line sharing.  A FROM_DEVICE buffer that does not start
-- on a DMA granule shares a cache line with a field the CPU writes during
-- the transfer; the unmap's maintenance of that line destroys one side.
-- arm64's granule (ARCH_DMA_MINALIGN, p.dma_align) is 128 bytes, not the
-- 64-byte line: some arm64 cores have 128-byte lines.  Cf.
-- traces/samples/linux-shared-line.*.dmt, docs/engine.md (DC007).
local CTR, LEN = 0xa0000, 256          -- an 8-byte counter, then the buffer
local SHARED, LINE64, GRANULE = 0xa0020, 0xa0040, 0xa0080

local plat = dma.platform("arm-noncoherent")
plat:device("eth0")
local wide = plat:copy()               -- the same rules, 128-byte cache lines
wide.name = "arm64-128"
wide.line = 128

-- the driver clears the buffer and maps it; a frame arrives; another CPU
-- path counts it in the counter beside the buffer; then the unmap
local function receive(p, buf)
  local s = dma.sim(p)
  s:cpu_write{addr = CTR, len = 8, data = string.rep("00", 8)}
  s:cpu_write{addr = buf, len = LEN, data = string.rep("aa", LEN)}
  s:dma_map{dev = "eth0", addr = buf, bus = buf, len = LEN, dir = "FROM_DEVICE"}
  s:dev_write{dev = "eth0", addr = buf, len = LEN, data = string.rep("55", LEN)}
  s:cpu_write{addr = CTR, len = 8, data = "0100000000000000"}   -- counter++
  s:dma_unmap{dev = "eth0", bus = buf, len = LEN, dir = "FROM_DEVICE"}
  s:cpu_read{addr = buf, len = LEN}
  s:trace_end()
  return s
end

-- would a sync the driver can place cure it?  It may sync for the device
-- before the frame arrives (event 4) or before the unmap (event 6), and for
-- the CPU once the frame is in (before the unmap); the counter write (event
-- 5) happens whenever a packet is counted, a moment the driver does not choose.
local function cure(s)
  local function sync(kind) return { kind, dev = "eth0", bus = SHARED, len = LEN, dir = "FROM_DEVICE" } end
  local tries = { {1, 6, sync("dma_sync_for_cpu")},
                  {2, 4, sync("dma_sync_for_device")}, {2, 6, sync("dma_sync_for_device")} }
  for _, t in ipairs(tries) do
    local w = s:whatif()
    w:insert(t[2], t[3])
    local gone = #w:diff().removed_ids > 0
    w:close()
    if gone then return t[1] end
  end
  return 3
end

local bug, near, fixed

return {
  id = "line-sharing",
  order = 14,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "linux-ownership"},
  title = {
    en = "Sharing a cache line with a DMA buffer",
    ru = "Общая строка кэша у буфера DMA и соседних данных",
    zh = "DMA 缓冲区与其他数据共用一个缓存行",
  },
  teaches = {
    en = "Cache maintenance works on whole lines: a DMA buffer must start and end on the DMA granule (128 bytes on arm64), or a CPU write beside it during the transfer destroys one side, and no call can help.",
    ru = "Обслуживание кэша работает целыми строками: буфер DMA должен начинаться и кончаться на границе гранулы DMA (128 байт на arm64), иначе запись процессора рядом с ним во время передачи губит одну из сторон, и никакой вызов не поможет.",
    zh = "缓存维护以整行为单位：DMA 缓冲区的起止必须对齐到 DMA 粒度（arm64 上为 128 字节），否则传输期间处理器在其旁边的写入会毁掉其中一方，任何调用都无济于事。",
  },
  steps = {
    { narrate = {
        en = "A cache holds whole lines. dma_map cleans and dma_unmap invalidates the lines a buffer touches, so a line holding the buffer's first bytes and something else is cleaned or dropped as a whole: the something else goes with it.",
        ru = "Кэш хранит строки целиком. dma_map записывает в память, а dma_unmap делает недействительными строки, которых касается буфер, поэтому строка, где лежат первые байты буфера и что-то ещё, обрабатывается целиком, вместе с этим «чем-то».",
        zh = "缓存以整行为单位保存数据。dma_map 清理（写回）、dma_unmap 使缓冲区所涉及的缓存行无效，因此一个同时装有缓冲区开头字节和其他数据的缓存行会被整体写回或丢弃，其他数据也随之受影响。",
    } },
    { run = function()
        bug = receive(plat, SHARED)
        return bug
      end,
      say = {
        en = "An 8-byte packet counter sits at 0xa0000 and a 256-byte receive buffer right after it, at 0xa0020. The driver fills the buffer with 0xaa and maps it FROM_DEVICE; a frame of 0x55 arrives; the counter is incremented; the driver unmaps and reads.",
        ru = "По адресу 0xa0000 лежит 8-байтный счётчик пакетов, сразу за ним, с 0xa0020, приёмный буфер на 256 байт. Драйвер заполняет буфер байтами 0xaa и отображает его с FROM_DEVICE; приходит кадр из 0x55; счётчик увеличивается; драйвер снимает отображение и читает.",
        zh = "0xa0000 处是一个 8 字节的包计数器，紧接着在 0xa0020 处是 256 字节的接收缓冲区。驱动程序把缓冲区填为 0xaa 并以 FROM_DEVICE 映射；一个由 0x55 组成的帧到达；计数器加一；驱动程序解除映射并读取。",
    } },
    { narrate = function()
        return {
          en = ("This platform's cache line is %d bytes; its DMA granule (ARCH_DMA_MINALIGN, p.dma_align) is %d. The line 0xa0000..0xa003f holds the counter and the buffer's first 32 bytes."):format(plat.line, plat.dma_align),
          ru = ("Строка кэша на этой платформе — %d байт, гранула DMA (ARCH_DMA_MINALIGN, p.dma_align) — %d. Строка 0xa0000..0xa003f содержит счётчик и первые 32 байта буфера."):format(plat.line, plat.dma_align),
          zh = ("此平台的缓存行为 %d 字节，DMA 粒度（ARCH_DMA_MINALIGN，p.dma_align）为 %d 字节。缓存行 0xa0000..0xa003f 同时装有计数器和缓冲区的前 32 个字节。"):format(plat.line, plat.dma_align),
        }
      end },
    { predict = {
        en = "Which byte does the driver read at the buffer's start, 0xa0020?",
        ru = "Какой байт драйвер читает в начале буфера, по адресу 0xa0020?",
        zh = "驱动程序在缓冲区开头 0xa0020 处读到哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:cpu_byte(SHARED) end,
      explain = {
        en = "0xaa, the old byte. The counter write dirtied the shared line, which still held the buffer's old bytes. The unmap's invalidate found that line only partly inside the buffer, so it cleaned it first: the stale 0xaa went back to memory over the frame.",
        ru = "0xaa, старый байт. Запись счётчика сделала общую строку изменённой, а в ней ещё были старые байты буфера. Строка лишь частично входит в буфер, поэтому unmap сначала записал её в память: устаревшие 0xaa легли поверх кадра.",
        zh = "0xaa，旧字节。计数器的写入使共用的缓存行变脏，而该行中仍是缓冲区的旧字节。unmap 使其无效时发现该行只有一部分在缓冲区内，于是先把它写回：陈旧的 0xaa 覆盖了内存中的帧。",
    } },
    { predict = {
        en = "Who lost their bytes?",
        ru = "Чьи байты потеряны?",
        zh = "谁的数据丢失了？",
      },
      choices = {
        { en = "the device: the frame's first 32 bytes", ru = "устройства: первые 32 байта кадра", zh = "设备：帧的前 32 个字节" },
        { en = "the CPU: the counter", ru = "процессора: счётчик", zh = "处理器：计数器" },
        { en = "both", ru = "и те и другие", zh = "两者都丢失" },
        { en = "neither", ru = "ничьи", zh = "都没有丢失" },
      },
      answer = 1,
      verify = function()
        local frame = bug:cpu_byte(SHARED) == 0x55 and bug:cpu_byte(LINE64) == 0x55
        local counter = bug:cpu_byte(CTR) == 1
        return frame and (counter and 4 or 2) or (counter and 1 or 3)
      end,
      explain = {
        en = "The device's. The counter survived (it reads 1) because the line was cleaned before it was dropped. Had it been dropped without the clean, the counter would be lost instead: one side always loses.",
        ru = "Устройства. Счётчик уцелел (он равен 1), потому что строку записали в память, прежде чем сделать недействительной. Без этой записи пропал бы счётчик: одна из сторон проигрывает всегда.",
        zh = "设备的。计数器保住了（其值为 1），因为该缓存行在被丢弃之前先写回了内存。若不写回就直接丢弃，丢失的就是计数器：总有一方会丢失数据。",
    } },
    { expect = {{id = "DC007", at = 5}, "DC001"} },
    { predict = {
        en = "The counter changes whenever a packet is counted. Which call, made before the frame arrives or before the unmap, would cure it?",
        ru = "Счётчик меняется всякий раз, когда учитывается пакет. Какой вызов, сделанный до прихода кадра или перед unmap, исправит это?",
        zh = "每统计一个包，计数器就会改变。在帧到达之前或 unmap 之前调用哪个函数可以解决问题？",
      },
      choices = {
        "dma_sync_single_for_cpu",
        "dma_sync_single_for_device",
        { en = "none: the buffer must not share a line", ru = "никакой: буфер не должен делить строку", zh = "没有：缓冲区不能与其他数据共用缓存行" },
      },
      answer = 3,
      verify = function() return cure(bug) end,
      explain = {
        en = "None. DC007 names no omitted call. A sync cleans or drops the whole shared line too, and the counter may change at any moment of the transfer. The cure is layout: align the buffer's start and size to the DMA granule (dma_get_cache_alignment()) or move the counter.",
        ru = "Никакой. DC007 не называет пропущенного вызова. Синхронизация тоже записывает или удаляет всю общую строку, а счётчик может измениться в любой момент передачи. Лечится размещением: начало и размер буфера выравниваются по грануле DMA (dma_get_cache_alignment()), или счётчик переносится.",
        zh = "没有。DC007 不指出任何遗漏的调用。同步同样会写回或丢弃整个共用缓存行，而计数器在传输期间随时可能改变。解决办法在于布局：缓冲区的起始地址和大小对齐到 DMA 粒度（dma_get_cache_alignment()），或把计数器移走。",
    } },
    { run = function()
        near = receive(plat, LINE64)
        return near
      end,
      say = {
        en = "The same driver with the buffer at 0xa0040: aligned to the 64-byte line, but not to the 128-byte granule.",
        ru = "Тот же драйвер, буфер по адресу 0xa0040: выровнен по 64-байтной строке, но не по 128-байтной грануле.",
        zh = "同一个驱动程序，缓冲区位于 0xa0040：对齐到 64 字节的缓存行，但没有对齐到 128 字节的粒度。",
    } },
    { narrate = function()
        local f = near:findings()[1]
        local what = f and f.name or "-"
        return {
          en = ("No error here: the engine only notes %s (information). The counter and the buffer share a granule, not a line."):format(what),
          ru = ("Ошибки нет: движок лишь отмечает %s (информация). Счётчик и буфер делят гранулу, но не строку."):format(what),
          zh = ("这里没有错误：引擎只给出 %s（提示信息）。计数器和缓冲区共用一个粒度，而不是一个缓存行。"):format(what),
        }
      end },
    { expect = {} },
    { predict = {
        en = "On which platforms does the buffer at 0xa0040 break?",
        ru = "На каких платформах буфер по адресу 0xa0040 работает неправильно?",
        zh = "位于 0xa0040 的缓冲区在哪些平台上会出错？",
      },
      choices = {
        { en = "arm-noncoherent (64-byte lines)", ru = "arm-noncoherent (строки по 64 байта)", zh = "arm-noncoherent（64 字节缓存行）" },
        { en = "an arm64 core with 128-byte lines", ru = "ядро arm64 со строками по 128 байт", zh = "使用 128 字节缓存行的 arm64 内核" },
        "x86",
        "x86-swiotlb",
      },
      answer = {2},
      verify = function()
        local got, names = {}, {"arm-noncoherent", nil, "x86", "x86-swiotlb"}
        local broke = {}
        for _, n in ipairs(near:breaks_on{"arm-noncoherent", "x86", "x86-swiotlb"}) do broke[n] = true end
        for i = 1, 4 do
          if (i == 2 and #near:on(wide):errors() > 0) or (names[i] and broke[names[i]]) then
            got[#got + 1] = i
          end
        end
        return got
      end,
      explain = {
        en = "Only where the line is 128 bytes: there 0xa0000..0xa007f is one line again. A kernel for arm64 runs on such cores too, so ARCH_DMA_MINALIGN is 128. x86 snoops, and swiotlb's device writes a bounce slot, not the shared line.",
        ru = "Только там, где строка — 128 байт: тогда 0xa0000..0xa007f снова одна строка. Ядро для arm64 работает и на таких ядрах, поэтому ARCH_DMA_MINALIGN равен 128. x86 отслеживает кэш, а при swiotlb устройство пишет в буфер bounce, а не в общую строку.",
        zh = "只在缓存行为 128 字节的平台上：那里 0xa0000..0xa007f 又成了同一个缓存行。arm64 内核也要在这类处理器上运行，所以 ARCH_DMA_MINALIGN 为 128。x86 会监听缓存；使用 swiotlb 时设备写的是 bounce 缓冲区，而不是共用的缓存行。",
    } },
    { run = function()
        fixed = receive(plat, GRANULE)
        return fixed
      end,
      say = {
        en = "The fix: the buffer at 0xa0080, on a 128-byte boundary, 256 bytes long. Nothing else lives in its lines or granules.",
        ru = "Исправление: буфер по адресу 0xa0080, на границе 128 байт, длиной 256 байт. В его строках и гранулах больше ничего нет.",
        zh = "修正：缓冲区位于 0xa0080，对齐到 128 字节边界，长 256 字节。它的缓存行和粒度中不再有其他数据。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_map", gives = {"DC011"} },
        { call = "dma_unmap", gives = {"DC001", "DC006", "DC012"} },
      },
      say = {
        en = "Alignment removes the need for nothing else. Without dma_unmap the CPU reads a buffer the device owns (DC006), stale (DC001), and the mapping leaks (DC012); without dma_map the device writes where nothing is mapped (DC011).",
        ru = "Выравнивание не отменяет остальных вызовов. Без dma_unmap процессор читает буфер устройства (DC006), устаревший (DC001), а отображение утекает (DC012); без dma_map устройство пишет туда, где ничего не отображено (DC011).",
        zh = "对齐并不能替代其他调用。没有 dma_unmap，处理器读取归设备所有的缓冲区（DC006），读到陈旧数据（DC001），映射也泄漏了（DC012）；没有 dma_map，设备写入的是未映射的地址（DC011）。",
    } },
  },
}
