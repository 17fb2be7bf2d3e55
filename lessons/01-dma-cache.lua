-- Lesson 1: caches, memory and a device: why DMA does not see the cache.
-- Source: "Flushing Cached Data during DMA Operations" (Windows, DMA
-- interface versions 1 and 2), the write case: "the data in this cache
-- might be more up-to-date than the copy in memory".
local PHYS, LOGICAL, LEN = 0x200000, 0xc0200000, 128
local plat = dma.platform("nt-busmaster")
plat:device("card", {P = 0})   -- a common buffer: no adapter flush drains posted writes

local function scenario(flush)
  local s = dma.sim(plat)
  s:AllocateCommonBuffer{dev = "card", addr = PHYS, bus = LOGICAL, len = 4096, CacheEnabled = true}
  s:cpu_write{addr = PHYS, len = LEN, data = string.rep("11", LEN)}   -- a command for the card
  if flush then
    s:KeFlushIoBuffers{dev = "card", seg = {PHYS, false, LEN},
                       ReadOperation = false, DmaOperation = true}
  end
  s:dev_read{dev = "card", addr = LOGICAL, len = LEN}                   -- the card fetches it
  s:FreeCommonBuffer{dev = "card", addr = PHYS, bus = LOGICAL, len = 4096}
  return s
end

local bug, fixed

return {
  id = "dma-cache",
  order = 1,
  languages = {"en", "ru", "zh"},
  title = {
    en = "Caches, memory and a device: why DMA does not see the cache",
    ru = "Кэш, память и устройство: почему DMA не видит кэш",
    zh = "缓存、内存与设备：为什么 DMA 看不到缓存",
  },
  teaches = {
    en = "A CPU write can sit in the processor cache, newer than memory; a DMA read accesses memory, so without KeFlushIoBuffers the device reads stale bytes.",
    ru = "Запись процессора может оставаться в кэше и быть новее памяти; операция DMA обращается к памяти, поэтому без KeFlushIoBuffers устройство читает устаревшие данные.",
    zh = "处理器的写入可能停留在处理器缓存中，比内存更新；DMA 操作访问的是内存，因此不调用 KeFlushIoBuffers 时设备会读到陈旧数据。",
  },
  steps = {
    { narrate = {
        en = "On some platforms the processor and the DMA controller or bus-master adapter do not keep the cache coherent. The CPU works through its cache; a device reaches memory directly.",
        ru = "На некоторых платформах процессор и контроллер DMA или адаптер DMA master шины не поддерживают когерентность кэша. Процессор работает через свой кэш, а устройство обращается к памяти напрямую.",
        zh = "在某些平台中，处理器和 DMA 控制器（或总线主控 DMA 适配器）不维护缓存一致性。处理器通过其缓存工作，而设备直接访问内存。",
    } },
    { run = function()
        bug = scenario(false)
        return bug
      end,
      say = {
        en = "The driver allocates a common buffer with CacheEnabled=TRUE, writes a command of 0x11 bytes into it, and the card reads it with DMA.",
        ru = "Драйвер выделяет общий буфер с CacheEnabled=TRUE, записывает в него команду из байтов 0x11, и карта читает её через DMA.",
        zh = "驱动程序以 CacheEnabled=TRUE 分配公用缓冲区，向其中写入由 0x11 字节组成的命令，网卡通过 DMA 读取它。",
    } },
    { narrate = function()
        return {
          en = ("The CPU sees 0x%02x at the buffer's start; memory holds 0x%02x."):format(bug:cpu_byte(PHYS), bug:mem_byte(PHYS)),
          ru = ("Процессор видит 0x%02x в начале буфера; в памяти 0x%02x."):format(bug:cpu_byte(PHYS), bug:mem_byte(PHYS)),
          zh = ("处理器在缓冲区开头看到 0x%02x；内存中是 0x%02x。"):format(bug:cpu_byte(PHYS), bug:mem_byte(PHYS)),
        }
      end },
    { predict = {
        en = "Where were the 0x11 bytes when the card read the buffer?",
        ru = "Где находились байты 0x11, когда карта читала буфер?",
        zh = "网卡读取缓冲区时，0x11 字节在哪里？",
      },
      choices = {
        { en = "In memory", ru = "В памяти", zh = "在内存中" },
        { en = "Only in the CPU cache, in dirty lines", ru = "Только в кэше процессора, в изменённых строках", zh = "仅在处理器缓存中的脏缓存行里" },
        { en = "In the card", ru = "В карте", zh = "在网卡中" },
      },
      answer = 2,
      verify = function() return bug:mem_byte(PHYS) == 0x11 and 1 or 2 end,
      explain = {
        en = "The write went to the CPU cache and stays there until the line is written back; memory still holds the old bytes.",
        ru = "Запись попала в кэш процессора и остаётся там, пока строка не будет записана обратно; в памяти по-прежнему старые байты.",
        zh = "写入进入了处理器缓存，在缓存行被写回之前一直留在那里；内存中仍是旧字节。",
    } },
    { predict = {
        en = "Which byte did the card read at the buffer's start?",
        ru = "Какой байт карта прочитала в начале буфера?",
        zh = "网卡在缓冲区开头读到哪个字节？",
      },
      answer = 0,
      verify = function() return bug:findings()[1].seen[1] end,
      explain = {
        en = "0x00, the byte in memory: a DMA read accesses data in memory, not in the processor cache.",
        ru = "0x00, байт из памяти: операция DMA обращается к данным в памяти, а не в кэше процессора.",
        zh = "0x00，即内存中的字节：DMA 读取操作访问内存中的数据，而不是处理器缓存中的数据。",
    } },
    { expect = {{id = "DC002", at = 3}} },
    { narrate = function()
        return {
          en = "DC002, stale-device-read. The engine explains: " .. bug:findings()[1]:explain(),
          ru = "DC002, stale-device-read: устройство прочитало устаревшие данные. Пояснение движка (на английском): " .. bug:findings()[1]:explain(),
          zh = "DC002，stale-device-read：设备读到了陈旧数据。引擎的解释（英文）：" .. bug:findings()[1]:explain(),
        }
      end },
    { run = function()
        fixed = scenario(true)
        return fixed
      end,
      say = {
        en = "Call KeFlushIoBuffers (ReadOperation=FALSE, DmaOperation=TRUE) before the transfer: the dirty lines are written to memory first.",
        ru = "Вызовите KeFlushIoBuffers (ReadOperation=FALSE, DmaOperation=TRUE) перед началом передачи: изменённые строки сначала записываются в память.",
        zh = "在传输之前调用 KeFlushIoBuffers（ReadOperation=FALSE，DmaOperation=TRUE）：脏缓存行先被写入内存。",
    } },
    { expect = {} },
    { omissions = {{ call = "KeFlushIoBuffers", gives = {"DC002"} }},
      say = {
        en = "Without the flush, the card reads stale memory.",
        ru = "Без очистки кэша карта читает устаревшую память.",
        zh = "不刷新缓存，网卡就会读到陈旧的内存。",
    } },
    { predict = {
        en = "On which platforms does the driver without KeFlushIoBuffers break?",
        ru = "На каких платформах драйвер без KeFlushIoBuffers работает неправильно?",
        zh = "在哪些平台上，不调用 KeFlushIoBuffers 的驱动程序会出错？",
      },
      choices = {"nt-busmaster", "nt-doublebuffer", "nt-v3", "x86"},
      answer = {1, 3},
      verify = function() return bug:breaks_on{"nt-busmaster", "nt-doublebuffer", "nt-v3", "x86"} end,
      explain = {
        en = "Where the device does not snoop the CPU caches. KeFlushIoBuffers does nothing if the processor and DMA controller maintain cache coherency, so the call has almost no overhead there.",
        ru = "Там, где устройство не отслеживает кэш процессора. KeFlushIoBuffers ничего не делает, если процессор и контроллер DMA поддерживают когерентность кэша, поэтому там вызов практически не имеет накладных расходов.",
        zh = "设备不监听处理器缓存的平台。如果处理器和 DMA 控制器能够维护缓存一致性，KeFlushIoBuffers 不会执行任何操作，因此在那里调用它几乎没有开销。",
    } },
  },
}
