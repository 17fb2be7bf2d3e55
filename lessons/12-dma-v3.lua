-- Lesson 12: version 3 of the DMA operations interface: MapTransferEx and
-- FlushAdapterBuffersEx do the cache maintenance that KeFlushIoBuffers does
-- for versions 1 and 2, and FlushAdapterBuffersEx invalidates after the
-- transfer, which a CPU that speculates needs.  Sources: "Flushing Cached
-- Data during DMA Operations" (its note on version 3) and the
-- FlushAdapterBuffersEx reference page.  Samples: traces/samples/v3-adapter
-- and v3-late-flush (.bug and .ok).
local BUF, LEN = 0x400000, 256
local WIN = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "nt-v3"}

local v2 = dma.platform("nt-v3")       -- noncoherent, speculative CPU
v2:device("nic", {dma = 2})            -- an adapter still at version 2
local v3 = dma.platform("nt-v3")
v3:device("nic")                       -- a version 3 adapter

-- the buffer held 0xaa, and the driver looked at it: clean lines in the cache
local function start(p)
  local s = dma.sim(p)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}
  s:evict{addr = BUF, len = LEN}
  s:cpu_read{addr = BUF, len = LEN}
  return s
end

local function xfer(s, call)
  s[call](s, {dev = "nic", seg = {BUF, false, LEN}, len = LEN, handle = 0x20, irp = 3,
              WriteToDevice = false})
end

local function receive(s) s:dev_write{dev = "nic", addr = BUF, len = LEN, data = string.rep("55", LEN)} end
local function read(s) s:cpu_read{addr = BUF, len = LEN} end

local function finish(s)
  s:FreeMapRegisters{dev = "nic", handle = 0x20}
  s:IoCompleteRequest{irp = 3, status = "STATUS_SUCCESS"}
end

-- the version 2 recipe: KeFlushIoBuffers, MapTransfer, FlushAdapterBuffers
local function v2_recipe()
  local s = start(v2)
  s:KeFlushIoBuffers{dev = "nic", seg = {BUF, false, LEN}, ReadOperation = true, DmaOperation = true}
  xfer(s, "MapTransfer")
  receive(s)
  xfer(s, "FlushAdapterBuffers")
  finish(s)
  read(s)
  return s
end

-- version 3: MapTransferEx, FlushAdapterBuffersEx; kef adds a KeFlushIoBuffers;
-- dpc = "before" or "after": the DPC also reads the data before or after the
-- flush (the transfer not yet ended)
local function v3_recipe(kef, dpc)
  local s = start(v3)
  if kef then
    s:KeFlushIoBuffers{dev = "nic", seg = {BUF, false, LEN}, ReadOperation = true,
                       DmaOperation = true}
  end
  xfer(s, "MapTransferEx")
  receive(s)
  if dpc == "before" then read(s) end
  xfer(s, "FlushAdapterBuffersEx")
  if dpc == "after" then read(s) end
  finish(s)
  read(s)
  return s
end

local function has(s, id)
  for _, f in ipairs(s:findings()) do
    if f.id == id then return true end
  end
  return false
end

local bug

return {
  id = "dma-v3",
  order = 12,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "sg-flush-ex"},
  title = {
    en = "DMA version 3: MapTransferEx and FlushAdapterBuffersEx",
    ru = "DMA версии 3: MapTransferEx и FlushAdapterBuffersEx",
    zh = "DMA 版本 3：MapTransferEx 和 FlushAdapterBuffersEx",
  },
  teaches = {
    en = "With version 3, MapTransferEx and FlushAdapterBuffersEx do the cache maintenance that KeFlushIoBuffers does for versions 1 and 2, and FlushAdapterBuffersEx invalidates after the transfer, which a CPU that fills lines speculatively requires.",
    ru = "В версии 3 MapTransferEx и FlushAdapterBuffersEx обслуживают кэш вместо KeFlushIoBuffers версий 1 и 2, а FlushAdapterBuffersEx делает строки недействительными после передачи, что необходимо, когда процессор спекулятивно загружает строки кэша.",
    zh = "在版本 3 中，MapTransferEx 和 FlushAdapterBuffersEx 承担了版本 1 和 2 中 KeFlushIoBuffers 的缓存维护工作，而且 FlushAdapterBuffersEx 会在传输之后使缓存行无效，这正是处理器推测性地填充缓存行时所需要的。",
  },
  steps = {
    { narrate = {
        en = "The guidelines of \"Flushing Cached Data during DMA Operations\" apply only to versions 1 and 2 of the DMA operations interface. A driver that asks IoGetDmaAdapter for DEVICE_DESCRIPTION_VERSION3 follows other rules: MapTransferEx and FlushAdapterBuffersEx.",
        ru = "Рекомендации раздела «Очистка кэшированных данных во время операций DMA» применяются только к версиям 1 и 2 интерфейса операций DMA. Драйвер, запросивший у IoGetDmaAdapter DEVICE_DESCRIPTION_VERSION3, следует другим правилам: MapTransferEx и FlushAdapterBuffersEx.",
        zh = "《执行 DMA 操作期间刷新缓存数据》中的准则仅适用于 DMA 操作接口的版本 1 和版本 2。通过 IoGetDmaAdapter 请求 DEVICE_DESCRIPTION_VERSION3 的驱动程序遵循另一组准则：MapTransferEx 和 FlushAdapterBuffersEx。",
    } },
    { run = function() bug = v2_recipe() return bug end,
      say = {
        en = "On nt-v3 (noncoherent; the CPU may fill cache lines speculatively) a driver of a version 2 adapter follows the version 2 recipe to receive 0x55 bytes into a buffer of 0xaa that it read before: KeFlushIoBuffers, MapTransfer, FlushAdapterBuffers.",
        ru = "На nt-v3 (без когерентности; процессор может спекулятивно загружать строки кэша) драйвер адаптера версии 2 по рецепту версии 2 принимает байты 0x55 в буфер с 0xaa, который он раньше читал: KeFlushIoBuffers, MapTransfer, FlushAdapterBuffers.",
        zh = "在 nt-v3 上（缓存不一致；处理器可能推测性地填充缓存行），版本 2 适配器的驱动程序按版本 2 的做法，把 0x55 字节接收到它先前读过的、内容为 0xaa 的缓冲区：KeFlushIoBuffers、MapTransfer、FlushAdapterBuffers。",
    } },
    { predict = {
        en = "Which byte does the driver's last read return at the start of the buffer?",
        ru = "Какой байт вернёт последнее чтение драйвера в начале буфера?",
        zh = "驱动程序最后一次读取在缓冲区开头返回哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:cpu_byte(BUF) end,
      explain = {
        en = "0xaa: KeFlushIoBuffers invalidated the lines, but while the card wrote, the CPU filled them again from memory, still 0xaa. FlushAdapterBuffers does no cache maintenance, so the stale lines stay.",
        ru = "0xaa: KeFlushIoBuffers сделал строки недействительными, но пока карта писала, процессор снова загрузил их из памяти, где ещё было 0xaa. FlushAdapterBuffers не обслуживает кэш, и устаревшие строки остаются.",
        zh = "0xaa：KeFlushIoBuffers 使缓存行无效了，但在网卡写入期间，处理器又从内存（仍是 0xaa）重新填充了它们。FlushAdapterBuffers 不做缓存维护，陈旧的缓存行保留了下来。",
    } },
    { expect = {"DC001"} },
    { predict = {
        en = "Which call did the driver leave out?",
        ru = "Какой вызов драйвер пропустил?",
        zh = "驱动程序漏掉了哪个调用？",
      },
      choices = {
        { en = "KeFlushIoBuffers before MapTransfer", ru = "KeFlushIoBuffers перед MapTransfer", zh = "MapTransfer 之前的 KeFlushIoBuffers" },
        { en = "FlushAdapterBuffers", ru = "FlushAdapterBuffers", zh = "FlushAdapterBuffers" },
        { en = "None: it made every call of the version 2 recipe", ru = "Никакой: он сделал все вызовы рецепта версии 2", zh = "没有：它调用了版本 2 做法中的每个例程" },
      },
      answer = 3,
      verify = function() return bug:findings()[1].omitted == nil and 3 or 1 end,
      explain = {
        en = "None. The engine names no omitted call and advises version 3: the version 2 recipe cleans and invalidates before the transfer only, and its flush does not invalidate after it.",
        ru = "Никакой. Движок не называет пропущенного вызова и советует версию 3: рецепт версии 2 очищает кэш только до передачи, а его очистка адаптера после передачи не делает строки недействительными.",
        zh = "没有。引擎没有指出遗漏的调用，而是建议使用版本 3：版本 2 的做法只在传输之前刷新缓存，其适配器刷新不会在传输之后使缓存行无效。",
    } },
    { predict = {
        en = "On which platforms does this version 2 driver read stale bytes?",
        ru = "На каких платформах этот драйвер версии 2 читает устаревшие данные?",
        zh = "在哪些平台上，这个版本 2 的驱动程序会读到陈旧数据？",
      },
      choices = WIN,
      answer = {4},
      verify = function() return bug:breaks_on(WIN) end,
      explain = {
        en = "Only nt-v3, whose CPU speculates. On the other platforms nothing refills the lines after KeFlushIoBuffers, and the version 2 recipe is right.",
        ru = "Только на nt-v3, где процессор выполняет спекулятивную загрузку. На остальных платформах после KeFlushIoBuffers строки никто не загружает, и рецепт версии 2 верен.",
        zh = "只有 nt-v3，它的处理器会推测性地填充缓存行。在其他平台上，KeFlushIoBuffers 之后没有什么会重新填充缓存行，版本 2 的做法是正确的。",
    } },
    { narrate = {
        en = "Version 3 moves the cache maintenance into the transfer calls. MapTransferEx cleans the buffer before a transfer to the device, and cleans and invalidates it before a transfer from the device. FlushAdapterBuffersEx invalidates again after that transfer.",
        ru = "Версия 3 переносит обслуживание кэша в вызовы передачи. MapTransferEx записывает кэш в память перед передачей на устройство, а перед передачей с устройства ещё и делает строки недействительными. FlushAdapterBuffersEx после такой передачи снова делает их недействительными.",
        zh = "版本 3 把缓存维护放进了传输调用中。MapTransferEx 在传输到设备之前刷新缓冲区，在从设备传输之前刷新并使其无效。FlushAdapterBuffersEx 在这种传输之后再次使其无效。",
    } },
    { run = function() return v3_recipe(false) end,
      say = {
        en = "The same driver with a version 3 adapter: MapTransferEx, FlushAdapterBuffersEx, and no KeFlushIoBuffers.",
        ru = "Тот же драйвер с адаптером версии 3: MapTransferEx, FlushAdapterBuffersEx и никакого KeFlushIoBuffers.",
        zh = "同一个驱动程序使用版本 3 适配器：MapTransferEx、FlushAdapterBuffersEx，不调用 KeFlushIoBuffers。",
    } },
    { expect = {} },
    { omissions = {
        { call = "MapTransferEx", gives = {"DC011"} },
        { call = "FlushAdapterBuffersEx", gives = {"DC001", "DC008"} },
      },
      say = {
        en = "Without FlushAdapterBuffersEx the lines filled during the transfer are read (DC001) and the transfer ends unflushed (DC008). Without MapTransferEx the card writes unmapped bytes (DC011).",
        ru = "Без FlushAdapterBuffersEx читаются строки, загруженные во время передачи (DC001), и передача завершается без очистки (DC008). Без MapTransferEx карта пишет в неотображённые байты (DC011).",
        zh = "没有 FlushAdapterBuffersEx，读到的是传输期间填充的缓存行（DC001），传输在未刷新时结束（DC008）。没有 MapTransferEx，网卡写入的是未映射的字节（DC011）。",
    } },
    { predict = {
        en = "Should this version 3 driver still call KeFlushIoBuffers before MapTransferEx?",
        ru = "Нужно ли этому драйверу версии 3 всё же вызывать KeFlushIoBuffers перед MapTransferEx?",
        zh = "这个版本 3 的驱动程序是否仍应在 MapTransferEx 之前调用 KeFlushIoBuffers？",
      },
      choices = {
        { en = "Yes: the platform is noncoherent", ru = "Да: платформа не когерентна", zh = "是：该平台缓存不一致" },
        { en = "No: MapTransferEx does that work; it is redundant", ru = "Нет: эту работу делает MapTransferEx; вызов избыточен", zh = "否：MapTransferEx 已完成这项工作；该调用是多余的" },
        { en = "No: it would break the transfer", ru = "Нет: он испортит передачу", zh = "否：它会破坏传输" },
      },
      answer = 2,
      verify = function()
        local s = v3_recipe(true)
        if #s:errors() > 0 then return 3 end
        return has(s, "DC013") and 2 or 1
      end,
      explain = {
        en = "No. A version 3 driver owes KeFlushIoBuffers neither before nor after the transfer. Added, it breaks nothing, and the engine notes it as redundant maintenance (DC013, information).",
        ru = "Нет. Драйвер версии 3 не должен вызывать KeFlushIoBuffers ни до, ни после передачи. Лишний вызов ничего не портит, и движок отмечает его как избыточное обслуживание (DC013, информация).",
        zh = "否。版本 3 的驱动程序在传输之前和之后都不需要调用 KeFlushIoBuffers。加上它也不会出错，引擎将其标为多余的维护（DC013，提示信息）。",
    } },
    { run = function() bug = v3_recipe(false, "before") return bug end,
      say = {
        en = "Another version 3 driver reads the received data before it calls FlushAdapterBuffersEx.",
        ru = "Другой драйвер версии 3 читает принятые данные до вызова FlushAdapterBuffersEx.",
        zh = "另一个版本 3 的驱动程序在调用 FlushAdapterBuffersEx 之前就读取了接收到的数据。",
    } },
    { predict = {
        en = "Which byte does that early read return at the start of the buffer?",
        ru = "Какой байт возвращает это раннее чтение в начале буфера?",
        zh = "这次过早的读取在缓冲区开头返回哪个字节？",
      },
      answer = 0xaa,
      verify = function() return bug:findings()[1].seen[1] end,
      explain = {
        en = "0xaa: MapTransferEx invalidated the lines, but the CPU filled them again while the card wrote. Only FlushAdapterBuffersEx removes them, and it came after the read.",
        ru = "0xaa: MapTransferEx сделал строки недействительными, но процессор снова загрузил их, пока карта писала. Удаляет их только FlushAdapterBuffersEx, а он был вызван после чтения.",
        zh = "0xaa：MapTransferEx 使缓存行无效了，但在网卡写入期间处理器又重新填充了它们。只有 FlushAdapterBuffersEx 才能清除它们，而它是在读取之后才调用的。",
    } },
    { expect = {"DC001"} },
    { predict = {
        en = "Which call must come before the read?",
        ru = "Какой вызов должен предшествовать чтению?",
        zh = "哪个调用必须在读取之前进行？",
      },
      choices = {"KeFlushIoBuffers", "FlushAdapterBuffersEx", "FreeMapRegisters", "IoCompleteRequest"},
      answer = 2,
      verify = function() return bug:findings()[1].omitted end,
      explain = {
        en = "FlushAdapterBuffersEx: the driver must flush the data from the cache after the transfer completes, and only then use it.",
        ru = "FlushAdapterBuffersEx: драйвер должен очистить кэш от данных после завершения передачи и только потом использовать их.",
        zh = "FlushAdapterBuffersEx：驱动程序必须在传输完成之后从缓存中刷新数据，然后才能使用这些数据。",
    } },
    { run = function() return v3_recipe(false, "after") end,
      say = {
        en = "Fixed: the read comes after FlushAdapterBuffersEx.",
        ru = "Исправлено: чтение идёт после FlushAdapterBuffersEx.",
        zh = "修正：读取放在 FlushAdapterBuffersEx 之后。",
    } },
    { expect = {} },
    { omissions = {
        { call = "MapTransferEx", gives = {"DC011"} },
        { call = "FlushAdapterBuffersEx", gives = {"DC001"} },
      },
      say = {
        en = "Here the data is read before the transfer ends: without FlushAdapterBuffersEx that read is stale, and DC001 naming FlushAdapterBuffersEx is the one finding of the missing flush.",
        ru = "Здесь данные читаются до окончания передачи: без FlushAdapterBuffersEx это чтение устаревшее, и DC001 с указанием FlushAdapterBuffersEx — единственная находка о пропущенной очистке.",
        zh = "这里在传输结束之前就读取了数据：没有 FlushAdapterBuffersEx，这次读取是陈旧的，指出 FlushAdapterBuffersEx 的 DC001 是缺少刷新的唯一发现。",
    } },
  },
}
