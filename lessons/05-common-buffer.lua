-- Lesson 5: AllocateCommonBuffer with CacheEnabled TRUE or FALSE.  Source:
-- "Flushing Cached Data during DMA Operations": "If the driver calls
-- AllocateCommonBuffer with the CacheEnabled parameter set to TRUE, the
-- driver must call KeFlushIoBuffers before beginning a transfer operation
-- to/from its buffer."  The reply half is traces/samples/common-buffer-clobber.
local PHYS, LOGICAL, SIZE = 0x200000, 0xc0200000, 4096
local CMD, RSP, N = 0x000, 0x100, 64          -- the command and reply slots
local plat = dma.platform("nt-busmaster")
plat:device("card", {P = 0})   -- common-buffer transfers have no adapter flush

local function flush(s, at, read)
  s:KeFlushIoBuffers{dev = "card", seg = {PHYS + at, false, N},
                     ReadOperation = read, DmaOperation = true}
end

-- one command and its reply through the common buffer
local function scenario(cached, flushes)
  local s = dma.sim(plat)
  s:AllocateCommonBuffer{dev = "card", addr = PHYS, bus = LOGICAL, len = SIZE,
                         CacheEnabled = cached}
  s:cpu_write{addr = PHYS + RSP, len = N, data = string.rep("ee", N)}   -- clear the reply
  s:cpu_write{addr = PHYS + CMD, len = N, data = string.rep("c1", N)}   -- the command
  if flushes then flush(s, CMD, false) end
  s:dev_read{dev = "card", addr = LOGICAL + CMD, len = N}
  if flushes then flush(s, RSP, true) end
  s:dev_write{dev = "card", addr = LOGICAL + RSP, len = N, data = string.rep("5a", N)}
  s:evict{addr = PHYS, len = SIZE}                                      -- unrelated traffic
  s:cpu_read{addr = PHYS + RSP, len = N}
  s:FreeCommonBuffer{dev = "card", addr = PHYS, bus = LOGICAL, len = SIZE}
  return s
end

local bug, uncached, fixed

return {
  id = "common-buffer",
  order = 5,
  languages = {"en", "ru", "zh"},
  requires = {"kef-read"},
  title = {
    en = "Common buffers: CacheEnabled TRUE or FALSE",
    ru = "Общие буферы: CacheEnabled TRUE или FALSE",
    zh = "公用缓冲区：CacheEnabled 为 TRUE 还是 FALSE",
  },
  teaches = {
    en = "A common buffer allocated with CacheEnabled=TRUE is cached, so the driver owes KeFlushIoBuffers before every transfer to or from it; with CacheEnabled=FALSE the CPU does not cache it and no flush is owed.",
    ru = "Общий буфер, выделенный с CacheEnabled=TRUE, кэшируется, поэтому драйвер должен вызывать KeFlushIoBuffers перед каждой передачей в буфер и из него; с CacheEnabled=FALSE процессор его не кэширует, и очистка не нужна.",
    zh = "以 CacheEnabled=TRUE 分配的公用缓冲区会被缓存，因此驱动程序必须在每次对其进行传输之前调用 KeFlushIoBuffers；以 CacheEnabled=FALSE 分配时处理器不缓存它，不需要刷新。",
  },
  steps = {
    { narrate = {
        en = "A common buffer is shared by the driver and the device for as long as the driver runs: here a command slot the card reads and a reply slot it writes. There is no MapTransfer and no FlushAdapterBuffers: the card reaches it whenever it likes.",
        ru = "Общий буфер используется драйвером и устройством всё время работы драйвера: здесь это ячейка команды, которую читает карта, и ячейка ответа, которую она пишет. Нет ни MapTransfer, ни FlushAdapterBuffers: карта обращается к буферу когда угодно.",
        zh = "公用缓冲区在驱动程序运行期间由驱动程序和设备共享：这里是网卡读取的命令槽和它写入的应答槽。没有 MapTransfer，也没有 FlushAdapterBuffers：网卡随时都可以访问它。",
    } },
    { narrate = {
        en = "AllocateCommonBuffer's CacheEnabled (HalAllocateCommonBuffer's in NT 4.0) says whether the CPU may cache the buffer. The rule: with CacheEnabled=TRUE, the driver must call KeFlushIoBuffers before beginning a transfer operation to or from its buffer.",
        ru = "Параметр CacheEnabled функции AllocateCommonBuffer (в NT 4.0 — HalAllocateCommonBuffer) говорит, может ли процессор кэшировать буфер. Правило: если CacheEnabled имеет значение TRUE, драйвер должен вызвать KeFlushIoBuffers перед началом операции передачи в буфер и из буфера.",
        zh = "AllocateCommonBuffer（NT 4.0 中为 HalAllocateCommonBuffer）的 CacheEnabled 参数决定处理器能否缓存该缓冲区。规则是：如果 CacheEnabled 设置为 TRUE，驱动程序必须先调用 KeFlushIoBuffers，然后再开始对其缓冲区的传输操作。",
    } },
    { run = function() bug = scenario(true, false) return bug end,
      say = {
        en = "CacheEnabled=TRUE and no KeFlushIoBuffers. The driver clears the reply slot (0xee), writes a command (0xc1); the card reads the command and writes its reply (0x5a); unrelated traffic evicts the lines; the driver reads the reply.",
        ru = "CacheEnabled=TRUE, KeFlushIoBuffers не вызывается. Драйвер заполняет ячейку ответа байтами 0xee, пишет команду (0xc1); карта читает команду и записывает ответ (0x5a); посторонняя нагрузка вытесняет строки из кэша; драйвер читает ответ.",
        zh = "CacheEnabled=TRUE，且不调用 KeFlushIoBuffers。驱动程序清空应答槽（0xee），写入命令（0xc1）；网卡读取命令并写入应答（0x5a）；无关的访问把缓存行逐出；驱动程序读取应答。",
    } },
    { predict = {
        en = "Which byte does the driver read at the start of the reply?",
        ru = "Какой байт драйвер читает в начале ответа?",
        zh = "驱动程序在应答开头读到哪个字节？",
      },
      answer = 0xee,
      verify = function() return bug:cpu_byte(PHYS + RSP) end,
      explain = {
        en = "0xee, its own clearing: the dirty reply line was written back over the card's reply (lesson 3). And the card had read a stale command (lesson 4): the 0xc1 bytes were still only in the cache.",
        ru = "0xee, которыми драйвер сам заполнил ячейку: изменённая строка ответа записалась обратно поверх ответа карты (урок 3). А карта прочитала устаревшую команду (урок 4): байты 0xc1 были ещё только в кэше.",
        zh = "0xee，即驱动程序自己清空时写入的值：应答槽的脏缓存行被写回，覆盖了网卡的应答（第 3 课）。而网卡读到的是陈旧的命令（第 4 课）：0xc1 字节当时仍只在缓存中。",
    } },
    { expect = {"DC001", "DC002", "DC003"} },
    { narrate = {
        en = "Both directions break at once: DC002 at the command, DC003 and its DC001 at the reply. The reply half alone is traces/samples/common-buffer-clobber.bug.dmt; try dmascope check on it and on its .ok twin.",
        ru = "Ломаются оба направления сразу: DC002 на команде, DC003 и его следствие DC001 на ответе. Половина с ответом лежит отдельно в traces/samples/common-buffer-clobber.bug.dmt; запустите на нём dmascope check, а также на парном .ok.",
        zh = "两个方向同时出错：命令处是 DC002，应答处是 DC003 及其后果 DC001。单独的应答部分见 traces/samples/common-buffer-clobber.bug.dmt；可以对它及其 .ok 版本运行 dmascope check。",
    } },
    { predict = {
        en = "The same driver allocates the buffer with CacheEnabled=FALSE, still without KeFlushIoBuffers. What does the engine report?",
        ru = "Тот же драйвер выделяет буфер с CacheEnabled=FALSE, по-прежнему без KeFlushIoBuffers. О чём сообщит движок?",
        zh = "同一个驱动程序以 CacheEnabled=FALSE 分配缓冲区，仍然不调用 KeFlushIoBuffers。引擎会报告什么？",
      },
      choices = {
        { en = "The same three findings", ru = "О тех же трёх ошибках", zh = "同样的三个问题" },
        { en = "Only DC002: the command is still stale", ru = "Только DC002: команда всё ещё устаревшая", zh = "只有 DC002：命令仍是陈旧的" },
        { en = "Nothing", ru = "Ни о чём", zh = "什么都不报告" },
      },
      answer = 3,
      verify = function()
        local n = #scenario(false, false):errors()
        return n == 0 and 3 or n == 1 and 2 or 1
      end,
      explain = {
        en = "Nothing: the CPU does not cache the buffer, so every CPU write goes to memory and every CPU read comes from it. There is no cached copy to flush, and none to write back.",
        ru = "Ни о чём: процессор не кэширует буфер, поэтому каждая запись процессора идёт в память и каждое чтение берётся из неё. Нет ни кэшированной копии, которую надо сбрасывать, ни строки для обратной записи.",
        zh = "什么都不报告：处理器不缓存该缓冲区，因此每次处理器写入都直接进入内存，每次读取都来自内存。既没有需要刷新的缓存副本，也没有会被写回的缓存行。",
    } },
    { run = function() uncached = scenario(false, false) return uncached end,
      say = {
        en = "CacheEnabled=FALSE, the same events.",
        ru = "CacheEnabled=FALSE, те же события.",
        zh = "CacheEnabled=FALSE，事件相同。",
    } },
    { expect = {} },
    { narrate = function()
        local where = uncached:line(PHYS + CMD) and 1 or 0
        return {
          en = ({"No line of the buffer is in the CPU cache.", "A line of the buffer is cached."})[where + 1]
               .. " The price: every access by the driver goes to memory, which is slow if it touches the buffer often.",
          ru = ({"Ни одной строки буфера нет в кэше процессора.", "Строка буфера есть в кэше."})[where + 1]
               .. " Цена: каждое обращение драйвера идёт в память, что медленно, если он часто работает с буфером.",
          zh = ({"缓冲区的缓存行都不在处理器缓存中。", "缓冲区有缓存行在缓存中。"})[where + 1]
               .. "代价是：驱动程序的每次访问都直接访问内存，如果频繁访问缓冲区，速度会较慢。",
        }
      end },
    { run = function() fixed = scenario(true, true) return fixed end,
      say = {
        en = "Back to CacheEnabled=TRUE, now with KeFlushIoBuffers(ReadOperation=FALSE) on the command before the card reads it, and KeFlushIoBuffers(ReadOperation=TRUE) on the reply slot before the card writes it.",
        ru = "Снова CacheEnabled=TRUE, теперь с KeFlushIoBuffers (ReadOperation=FALSE) для команды до того, как карта её прочитает, и KeFlushIoBuffers (ReadOperation=TRUE) для ячейки ответа до того, как карта в неё запишет.",
        zh = "回到 CacheEnabled=TRUE，现在在网卡读取命令之前对命令调用 KeFlushIoBuffers（ReadOperation=FALSE），在网卡写入应答之前对应答槽调用 KeFlushIoBuffers（ReadOperation=TRUE）。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", at = 4, gives = {"DC002"} },
        { call = "KeFlushIoBuffers", at = 6, gives = {"DC001", "DC003"} },
      },
      say = {
        en = "Each flush guards one transfer. Without the first (event 4) the card reads a stale command (DC002); without the second (event 6) the write-back clobbers the reply (DC003) and the driver reads its own 0xee (DC001).",
        ru = "Каждая очистка защищает одну передачу. Без первой (событие 4) карта читает устаревшую команду (DC002); без второй (событие 6) обратная запись затирает ответ (DC003), и драйвер читает свои же 0xee (DC001).",
        zh = "每次刷新保护一次传输。没有第一次（事件 4），网卡读到陈旧的命令（DC002）；没有第二次（事件 6），写回覆盖了应答（DC003），驱动程序读到自己的 0xee（DC001）。",
    } },
    { predict = {
        en = "The driver keeps both KeFlushIoBuffers calls but allocates with CacheEnabled=FALSE. What does the engine say of the two calls?",
        ru = "Драйвер оставляет оба вызова KeFlushIoBuffers, но выделяет буфер с CacheEnabled=FALSE. Что движок скажет об этих вызовах?",
        zh = "驱动程序保留两次 KeFlushIoBuffers 调用，但以 CacheEnabled=FALSE 分配缓冲区。引擎对这两次调用怎么说？",
      },
      choices = {
        { en = "An error: flushing an uncached buffer", ru = "Ошибка: очистка некэшируемого буфера", zh = "错误：刷新了不缓存的缓冲区" },
        { en = "DC013, information: redundant here", ru = "DC013, информация: здесь избыточны", zh = "DC013，提示信息：此处多余" },
        { en = "Nothing at all", ru = "Ничего", zh = "什么都不说" },
      },
      answer = 2,
      verify = function()
        local s = scenario(false, true)
        local f = s:findings()
        if #s:errors() > 0 then return 1 end
        return #f == 2 and f[1].id == "DC013" and f[2].id == "DC013" and 2 or 3
      end,
      explain = {
        en = "DC013, redundant-maintenance: the calls do no harm and almost nothing. Redundant here is not a bug: the same code stays right if the buffer is ever cached.",
        ru = "DC013, redundant-maintenance: вызовы не вредят и почти ничего не стоят. Избыточность здесь не ошибка: тот же код останется правильным, если буфер когда-нибудь станет кэшируемым.",
        zh = "DC013（redundant-maintenance）：这些调用无害，几乎没有开销。此处多余并不是错误：如果缓冲区将来被缓存，同样的代码依然正确。",
    } },
  },
}
