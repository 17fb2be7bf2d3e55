-- Lesson 11: coherent platforms.  Source: "Flushing Cached Data during DMA
-- Operations": "KeFlushIoBuffers does nothing if the processor and DMA
-- controller can be relied on to maintain cache coherency, so calls to this
-- support routine have almost no overhead in such a platform."
local TX, RX, LEN = 0x300000, 0x400000, 256
local PRESETS = {"nt-busmaster", "nt-slave-dma", "nt-doublebuffer", "x86"}
local KEF_TX, FAB_TX, KEF_RX, FAB_RX = 3, 6, 9, 12   -- events of the correct driver

local function platform(preset)
  local p = dma.platform(preset)
  p:device("nic")
  return p
end

local function kef(s, addr, read)
  s:KeFlushIoBuffers{dev = "nic", seg = {addr, false, LEN}, ReadOperation = read,
                     DmaOperation = true}
end

-- one transfer: MapTransfer, the card's access, FlushAdapterBuffers, the end
local function transfer(s, addr, irp, out)
  local seg = {addr, false, LEN}
  s:MapTransfer{dev = "nic", seg = seg, len = LEN, handle = irp * 16, irp = irp,
                WriteToDevice = out}
  if out then
    s:dev_read{dev = "nic", addr = addr, len = LEN}
  else
    s:dev_write{dev = "nic", addr = addr, len = LEN, data = string.rep("55", LEN)}
  end
  s:FlushAdapterBuffers{dev = "nic", seg = seg, len = LEN, handle = irp * 16, irp = irp,
                        WriteToDevice = out}
  s:FreeMapRegisters{dev = "nic", handle = irp * 16}
  s:IoCompleteRequest{irp = irp, status = "STATUS_SUCCESS"}
end

-- the portable driver: send a request, receive the reply, read it
local function driver(preset, flush)
  local s = dma.sim(platform(preset))
  s:cpu_read{addr = RX, len = LEN}                                   -- the last reply, cached
  s:cpu_write{addr = TX, len = LEN, data = string.rep("77", LEN)}   -- the request, dirty
  if flush then kef(s, TX, false) end
  transfer(s, TX, 1, true)
  if flush then kef(s, RX, true) end
  transfer(s, RX, 2, false)
  s:cpu_read{addr = RX, len = LEN}
  return s
end

-- the presets of PRESETS on which leaving out event n adds an error id
local function needed_on(s, n, id)
  local on = {}
  for _, p in ipairs(PRESETS) do
    for _, r in ipairs(s:on(p):omissions()) do
      for _, got in ipairs(r.at == n and r.added or {}) do
        if (id or got) == got then on[#on + 1] = p break end
      end
    end
  end
  return on
end

local function list(t)
  return #t > 0 and table.concat(t, ", ") or "-"
end

local nc, coh

return {
  id = "coherent",
  order = 11,
  languages = {"en", "ru", "zh"},
  requires = {"kef-read", "kef-write"},
  title = {
    en = "Coherent platforms: why call KeFlushIoBuffers anyway?",
    ru = "Когерентные платформы: зачем всё равно вызывать KeFlushIoBuffers?",
    zh = "缓存一致的平台：为什么仍要调用 KeFlushIoBuffers？",
  },
  teaches = {
    en = "Where the hardware keeps the cache coherent, KeFlushIoBuffers does nothing at almost no cost; a portable driver calls it anyway, and FlushAdapterBuffers stays owed on every platform.",
    ru = "Там, где оборудование поддерживает когерентность кэша, KeFlushIoBuffers ничего не делает и почти ничего не стоит; переносимый драйвер всё равно вызывает его, а FlushAdapterBuffers нужен на любой платформе.",
    zh = "在硬件维护缓存一致性的平台上，KeFlushIoBuffers 不执行任何操作，几乎没有开销；可移植的驱动程序仍然调用它，而 FlushAdapterBuffers 在任何平台上都必须调用。",
  },
  steps = {
    { narrate = {
        en = "KeFlushIoBuffers does nothing if the processor and DMA controller can be relied on to maintain cache coherency, so calls to it have almost no overhead on such a platform. One driver binary runs on both kinds.",
        ru = "KeFlushIoBuffers ничего не делает, если процессор и контроллер DMA поддерживают когерентность кэша, поэтому на такой платформе его вызовы практически не имеют накладных расходов. Один и тот же драйвер работает на платформах обоих видов.",
        zh = "如果处理器和 DMA 控制器能够维护缓存一致性，KeFlushIoBuffers 不会执行任何操作，因此在此类平台上调用它几乎没有开销。同一个驱动程序要在这两类平台上运行。",
    } },
    { run = function() nc = driver("nt-busmaster", true) return nc end,
      say = {
        en = "A portable network driver on nt-busmaster (noncoherent): KeFlushIoBuffers(ReadOperation=FALSE) before it sends a request (0x77), KeFlushIoBuffers(ReadOperation=TRUE) before it receives the reply (0x55), then it reads the reply.",
        ru = "Переносимый сетевой драйвер на nt-busmaster (некогерентной платформе): KeFlushIoBuffers (ReadOperation=FALSE) перед отправкой запроса (0x77), KeFlushIoBuffers (ReadOperation=TRUE) перед приёмом ответа (0x55), затем драйвер читает ответ.",
        zh = "一个可移植的网络驱动程序运行在 nt-busmaster（非一致）上：发送请求（0x77）之前调用 KeFlushIoBuffers（ReadOperation=FALSE），接收应答（0x55）之前调用 KeFlushIoBuffers（ReadOperation=TRUE），然后读取应答。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", at = KEF_TX, gives = {"DC002"} },
        { call = "KeFlushIoBuffers", at = KEF_RX, gives = {"DC001"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", at = FAB_TX, gives = {"DC008"} },
        { call = "FlushAdapterBuffers", at = FAB_RX, gives = {"DC001", "DC004"} },
      },
      say = {
        en = "On nt-busmaster every call matters: without either KeFlushIoBuffers the card sends a stale request (DC002) or the driver reads a stale reply (DC001), as in lessons 2 and 4.",
        ru = "На nt-busmaster важен каждый вызов: без любого из KeFlushIoBuffers карта отправляет устаревший запрос (DC002) или драйвер читает устаревший ответ (DC001), как в уроках 2 и 4.",
        zh = "在 nt-busmaster 上每个调用都不可少：缺少任何一次 KeFlushIoBuffers，网卡就会发送陈旧的请求（DC002），或驱动程序读到陈旧的应答（DC001），如第 2 课和第 4 课所示。",
    } },
    { run = function() coh = nc:on("nt-doublebuffer") return coh end,
      say = {
        en = "The same events on nt-doublebuffer: the devices snoop the CPU caches (coherent), and the map registers are backed by buffers.",
        ru = "Те же события на nt-doublebuffer: устройства отслеживают кэш процессора (когерентная платформа), а за регистрами отображения стоят буферы.",
        zh = "同样的事件在 nt-doublebuffer 上运行：设备监听处理器缓存（缓存一致），映射寄存器由缓冲区支持。",
    } },
    { predict = {
        en = "On nt-doublebuffer, what state is the request's first cache line in right after KeFlushIoBuffers?",
        ru = "В каком состоянии первая строка кэша запроса на nt-doublebuffer сразу после KeFlushIoBuffers?",
        zh = "在 nt-doublebuffer 上，KeFlushIoBuffers 刚执行完时，请求的第一个缓存行处于什么状态？",
      },
      choices = {
        { en = "dirty: the call did nothing", ru = "изменённая: вызов ничего не сделал", zh = "脏：该调用什么也没做" },
        { en = "clean: written back to memory", ru = "чистая: записана в память", zh = "干净：已写回内存" },
        { en = "not cached", ru = "не в кэше", zh = "不在缓存中" },
      },
      answer = 1,
      verify = function()
        local s = dma.sim(platform("nt-doublebuffer"))
        s:cpu_write{addr = TX, len = LEN, data = string.rep("77", LEN)}
        kef(s, TX, false)
        local l = s:line(TX)
        return not l and 3 or l.state == "dirty" and 1 or 2
      end,
      explain = {
        en = "Dirty: KeFlushIoBuffers does nothing there. The card snoops the cache and takes the 0x77 bytes from it, so no write-back is needed first. On nt-busmaster the same call wrote the line back.",
        ru = "Изменённая: там KeFlushIoBuffers ничего не делает. Карта отслеживает кэш и берёт байты 0x77 прямо из него, поэтому заранее записывать строку в память не нужно. На nt-busmaster тот же вызов записал строку в память.",
        zh = "脏：在该平台上 KeFlushIoBuffers 什么也不做。网卡监听缓存，直接从缓存取得 0x77 字节，因此无需事先写回。在 nt-busmaster 上，同样的调用把该缓存行写回了内存。",
    } },
    { expect = {"DC013"} },
    { narrate = {
        en = "No error, only DC013, redundant-maintenance, for both flushes: information, not a bug. Redundant here does not mean removable: the same binary must be right on the platforms where the flush is needed.",
        ru = "Ошибок нет, только DC013, redundant-maintenance, для обеих очисток: это информация, а не ошибка. «Избыточный здесь» не значит «можно удалить»: тот же драйвер должен работать правильно и там, где очистка нужна.",
        zh = "没有错误，两次刷新都只得到 DC013（redundant-maintenance）：这是提示信息，不是错误。在此处多余并不意味着可以删除：同一个驱动程序在需要刷新的平台上也必须正确。",
    } },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", at = FAB_TX, gives = {"DC008"} },
        { call = "FlushAdapterBuffers", at = FAB_RX, gives = {"DC001", "DC004"} },
      },
      say = {
        en = "On nt-doublebuffer leaving out KeFlushIoBuffers changes nothing. FlushAdapterBuffers is another matter: without it the reply stays in the map buffer (DC004) and the driver reads old bytes (DC001).",
        ru = "На nt-doublebuffer отсутствие KeFlushIoBuffers ничего не меняет. С FlushAdapterBuffers иначе: без него ответ остаётся в буфере регистров отображения (DC004), и драйвер читает старые байты (DC001).",
        zh = "在 nt-doublebuffer 上去掉 KeFlushIoBuffers 没有任何变化。FlushAdapterBuffers 则不同：没有它，应答留在映射寄存器的缓冲区中（DC004），驱动程序读到旧字节（DC001）。",
    } },
    { predict = {
        en = "The driver without either KeFlushIoBuffers call: on which platforms does it break?",
        ru = "Драйвер без обоих вызовов KeFlushIoBuffers: на каких платформах он работает неправильно?",
        zh = "去掉两次 KeFlushIoBuffers 调用的驱动程序：在哪些平台上会出错？",
      },
      choices = PRESETS,
      answer = {1, 2},
      verify = function() return driver("nt-busmaster", false):breaks_on(PRESETS) end,
      explain = {
        en = "The noncoherent ones, nt-busmaster and nt-slave-dma. On nt-doublebuffer and x86 the devices snoop the caches: the driver works there by luck of the platform, and breaks the day it runs elsewhere.",
        ru = "На некогерентных: nt-busmaster и nt-slave-dma. На nt-doublebuffer и x86 устройства отслеживают кэш: драйвер работает там лишь благодаря платформе и сломается, как только окажется на другой.",
        zh = "非一致的平台：nt-busmaster 和 nt-slave-dma。在 nt-doublebuffer 和 x86 上设备监听缓存：驱动程序能正常工作只是平台使然，一旦换到其他平台就会出错。",
    } },
    { predict = {
        en = "Now keep both KeFlushIoBuffers and leave out the reply's FlushAdapterBuffers instead. On which platforms does the driver read a stale reply (DC001)?",
        ru = "Теперь оставим оба KeFlushIoBuffers, но уберём FlushAdapterBuffers после приёма ответа. На каких платформах драйвер читает устаревший ответ (DC001)?",
        zh = "现在保留两次 KeFlushIoBuffers，改为去掉接收应答后的 FlushAdapterBuffers。在哪些平台上驱动程序读到陈旧的应答（DC001）？",
      },
      choices = PRESETS,
      answer = {1, 3},
      verify = function() return needed_on(nc, FAB_RX, "DC001") end,
      explain = {
        en = "nt-busmaster, where the last bytes stay posted in the adapter, and nt-doublebuffer, where the reply is still in the map buffer: coherence does not copy it. On nt-slave-dma and x86 the bytes arrive, and the IRP still completes unflushed (DC008).",
        ru = "nt-busmaster, где последние байты остаются в буфере адаптера, и nt-doublebuffer, где ответ ещё в буфере регистров отображения: когерентность его не копирует. На nt-slave-dma и x86 байты доходят, но IRP всё равно завершается без очистки буферов адаптера (DC008).",
        zh = "nt-busmaster（最后的字节滞留在适配器缓冲区中）和 nt-doublebuffer（应答仍在映射寄存器的缓冲区中：缓存一致性不会复制它）。在 nt-slave-dma 和 x86 上字节能够到达，但 IRP 仍在未刷新时完成（DC008）。",
    } },
    { narrate = function()
        local k1, k2 = list(needed_on(nc, KEF_TX)), list(needed_on(nc, KEF_RX))
        local f1, f2 = list(needed_on(nc, FAB_TX)), list(needed_on(nc, FAB_RX))
        return {
          en = ("Needed on (an error when left out):\nKeFlushIoBuffers, request: %s\nKeFlushIoBuffers, reply: %s\nFlushAdapterBuffers, request: %s\nFlushAdapterBuffers, reply: %s"):format(k1, k2, f1, f2),
          ru = ("Где нужен (без него ошибка):\nKeFlushIoBuffers, запрос: %s\nKeFlushIoBuffers, ответ: %s\nFlushAdapterBuffers, запрос: %s\nFlushAdapterBuffers, ответ: %s"):format(k1, k2, f1, f2),
          zh = ("需要的平台（省略即出错）：\nKeFlushIoBuffers，请求：%s\nKeFlushIoBuffers，应答：%s\nFlushAdapterBuffers，请求：%s\nFlushAdapterBuffers，应答：%s"):format(k1, k2, f1, f2),
        }
      end },
    { narrate = function()
        local still = list(nc:breaks_on{"nt-busmaster", "nt-slave-dma", "nt-doublebuffer", "nt-v3", "x86"})
        return {
          en = ("A portable driver calls them all: each is needed somewhere, and KeFlushIoBuffers costs almost nothing where it is not. Even the correct driver breaks on: %s. That CPU speculates, and the version 1 and 2 recipe is not enough there (version 3: MapTransferEx, FlushAdapterBuffersEx)."):format(still),
          ru = ("Переносимый драйвер вызывает их все: каждый где-то нужен, а KeFlushIoBuffers там, где не нужен, почти ничего не стоит. Даже правильный драйвер ломается на: %s. Там процессор загружает строки спекулятивно, и рекомендаций для версий 1 и 2 недостаточно (версия 3: MapTransferEx, FlushAdapterBuffersEx)."):format(still),
          zh = ("可移植的驱动程序调用所有这些例程：每一个都在某些平台上必需，而 KeFlushIoBuffers 在不需要的平台上几乎没有开销。即使是正确的驱动程序也会在以下平台出错：%s。该平台的处理器会推测性地填充缓存行，版本 1 和 2 的准则在那里不够（版本 3：MapTransferEx、FlushAdapterBuffersEx）。"):format(still),
        }
      end },
  },
}
