-- Lesson 9: scatter/gather: FlushAdapterBuffersEx over a whole MDL chain
-- against FlushAdapterBuffers once per MDL; its Offset and Length;
-- STATUS_INVALID_PARAMETER.  Source: the FlushAdapterBuffersEx reference
-- page (PFLUSH_ADAPTER_BUFFERS_EX).  Samples: traces/samples/flush-ex-chain
-- (the same mistake on a three-MDL chain) and partial-sg-unmap (Linux).
local MDL = {                          -- the chain: physical address, bytes, the disk's byte
  {0x700000, 4096, 0x11},
  {0x705000, 2048, 0x22},
}
local CHAIN = 4096 + 2048              -- bytes in the chain
local LAST = 0x705000 + 2048 - 1       -- its last byte
local WIN = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "x86"}

local busmaster = dma.platform("nt-busmaster")   -- posted writes, P=32
busmaster:device("disk")
local v3 = dma.platform("nt-v3")
v3:device("disk")

local function seg(m) return {m[1], false, m[2]} end

local function receive(s, m)
  s:dev_write{dev = "disk", addr = m[1], len = m[2], data = string.rep(("%02x"):format(m[3]), m[2])}
end

local function finish(s, status)
  s:FreeMapRegisters{dev = "disk", handle = 0x70}
  s:IoCompleteRequest{irp = 8, status = status}
end

-- a version 2 read: KeFlushIoBuffers, MapTransfer and FlushAdapterBuffers for
-- each MDL; the driver flushes the first nflush MDLs
local function v2_read(nflush)
  local s = dma.sim(busmaster)
  for _, m in ipairs(MDL) do
    s:KeFlushIoBuffers{dev = "disk", seg = seg(m), ReadOperation = true, DmaOperation = true}
    s:MapTransfer{dev = "disk", seg = seg(m), len = m[2], handle = 0x70, irp = 8,
                  WriteToDevice = false}
  end
  for _, m in ipairs(MDL) do receive(s, m) end
  for i = 1, nflush do
    s:FlushAdapterBuffers{dev = "disk", seg = seg(MDL[i]), len = MDL[i][2], handle = 0x70,
                          irp = 8, WriteToDevice = false}
  end
  finish(s, "STATUS_SUCCESS")
  s:cpu_read{addr = MDL[2][1], len = MDL[2][2]}
  return s
end

-- a version 3 read: one MapTransferEx and one FlushAdapterBuffersEx over the
-- chain; the engine decides what the flush returns, the driver completes the
-- IRP with that status and reads the data only on success
local function v3_read(off, len)
  local s = dma.sim(v3)
  local chain = {seg(MDL[1]), seg(MDL[2])}
  s:MapTransferEx{dev = "disk", seg = chain, off = 0, len = CHAIN, handle = 0x70, irp = 8,
                  WriteToDevice = false}
  for _, m in ipairs(MDL) do receive(s, m) end
  s:FlushAdapterBuffersEx{dev = "disk", seg = chain, off = off, len = len, handle = 0x70,
                          irp = 8, WriteToDevice = false}
  local status = s:last_result() & 0xffffffff     -- an NTSTATUS
  finish(s, status == 0 and "STATUS_SUCCESS" or "STATUS_INVALID_PARAMETER")
  if status == 0 then
    for _, m in ipairs(MDL) do s:cpu_read{addr = m[1], len = m[2]} end
  end
  return s, status
end

-- Linux: a three-page list unmapped with nents=2 (partial-sg-unmap.bug.dmt)
local function linux_partial_unmap()
  local arm = dma.platform("arm-noncoherent")
  arm:device("nvme0")
  local s = dma.sim(arm)
  local sg = {{0x600000, 0x600000, 4096}, {0x603000, 0x603000, 4096}, {0x605000, 0x605000, 4096}}
  s:dma_map_sg{dev = "nvme0", seg = sg, dir = "FROM_DEVICE"}
  for _, e in ipairs(sg) do s:dev_write{dev = "nvme0", addr = e[2], len = e[3]} end
  s:dma_unmap_sg{dev = "nvme0", seg = {sg[1], sg[2]}, dir = "FROM_DEVICE"}
  s:cpu_read{addr = sg[3][1], len = 512}
  s:trace_end()                        -- the third page is still mapped
  return s
end

local bug, fixed

return {
  id = "sg-flush-ex",
  order = 9,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "busmaster-flush"},
  title = {
    en = "Scatter/gather: FlushAdapterBuffersEx over an MDL chain",
    ru = "Scatter/gather: FlushAdapterBuffersEx для цепочки MDL",
    zh = "分散/收集：用 FlushAdapterBuffersEx 刷新 MDL 链",
  },
  teaches = {
    en = "FlushAdapterBuffers flushes one MDL, so a chain needs one call per MDL; FlushAdapterBuffersEx flushes the chain from Offset for Length, which must be those of the transfer: outside the chain it returns STATUS_INVALID_PARAMETER and flushes nothing.",
    ru = "FlushAdapterBuffers очищает один MDL, и для цепочки нужен вызов на каждый MDL; FlushAdapterBuffersEx очищает цепочку от Offset на Length байтов, которые должны совпадать с параметрами передачи: за пределами цепочки он возвращает STATUS_INVALID_PARAMETER и ничего не очищает.",
    zh = "FlushAdapterBuffers 只刷新一个 MDL，MDL 链需要每个 MDL 调用一次；FlushAdapterBuffersEx 从 Offset 开始刷新 Length 字节，二者必须与传输所用的值相同：超出 MDL 链时返回 STATUS_INVALID_PARAMETER，什么也不刷新。",
  },
  steps = {
    { narrate = {
        en = "A disk reads into a buffer described by a chain of two MDLs: 4096 bytes, then 2048 bytes on another page. FlushAdapterBuffers takes one MDL: to flush a scatter/gather list with it, the driver calls it once for each MDL in the chain.",
        ru = "Диск читает данные в буфер, описанный цепочкой из двух MDL: 4096 байтов и ещё 2048 байтов на другой странице. FlushAdapterBuffers принимает один MDL: чтобы очистить им список scatter/gather, драйвер вызывает его отдельно для каждого MDL цепочки.",
        zh = "磁盘把数据读入一个由两个 MDL 组成的链描述的缓冲区：4096 字节，另有 2048 字节在另一页上。FlushAdapterBuffers 只接受一个 MDL：要用它刷新分散/收集列表，驱动程序必须为 MDL 链中的每个 MDL 分别调用一次。",
    } },
    { run = function() bug = v2_read(1) return bug end,
      say = {
        en = "On nt-busmaster (posted writes, P=32) a version 2 driver calls KeFlushIoBuffers and MapTransfer for each MDL. The disk writes 0x11 and 0x22. The DPC calls FlushAdapterBuffers once, for the first MDL only (Irp->MdlAddress), frees the map registers, completes the IRP and reads the second MDL.",
        ru = "На nt-busmaster (отложенная запись, P=32) драйвер версии 2 вызывает KeFlushIoBuffers и MapTransfer для каждого MDL. Диск записывает 0x11 и 0x22. DPC вызывает FlushAdapterBuffers один раз, только для первого MDL (Irp->MdlAddress), освобождает регистры отображения, завершает IRP и читает второй MDL.",
        zh = "在 nt-busmaster（延迟写入，P=32）上，版本 2 的驱动程序为每个 MDL 调用 KeFlushIoBuffers 和 MapTransfer。磁盘写入 0x11 和 0x22。DPC 只为第一个 MDL（Irp->MdlAddress）调用一次 FlushAdapterBuffers，释放映射寄存器，完成 IRP，然后读取第二个 MDL。",
    } },
    { predict = {
        en = "Which byte does the driver read at the last byte of the second MDL?",
        ru = "Какой байт драйвер читает в последнем байте второго MDL?",
        zh = "驱动程序在第二个 MDL 的最后一个字节处读到哪个字节？",
      },
      answer = 0x00,
      verify = function() return bug:cpu_byte(LAST) end,
      explain = {
        en = "0x00, the old memory: the disk's last 32 bytes of 0x22 are still in its posted-write buffer. Only a FlushAdapterBuffers over that MDL would have pushed them to memory.",
        ru = "0x00, старое содержимое памяти: последние 32 байта 0x22 ещё лежат в буфере отложенной записи диска. Только FlushAdapterBuffers для этого MDL записал бы их в память.",
        zh = "0x00，即内存中的旧数据：磁盘最后 32 个 0x22 字节仍在其延迟写入缓冲区中。只有针对该 MDL 的 FlushAdapterBuffers 才会把它们写入内存。",
    } },
    { expect = {"DC001", "DC004"} },
    { predict = {
        en = "Which call is missing?",
        ru = "Какого вызова не хватает?",
        zh = "缺少哪个调用？",
      },
      choices = {
        { en = "KeFlushIoBuffers for the second MDL", ru = "KeFlushIoBuffers для второго MDL", zh = "针对第二个 MDL 的 KeFlushIoBuffers" },
        { en = "FlushAdapterBuffers for the second MDL", ru = "FlushAdapterBuffers для второго MDL", zh = "针对第二个 MDL 的 FlushAdapterBuffers" },
        { en = "A second MapTransfer", ru = "Второй MapTransfer", zh = "第二次 MapTransfer" },
        { en = "A second FreeMapRegisters", ru = "Второй FreeMapRegisters", zh = "第二次 FreeMapRegisters" },
      },
      answer = 2,
      verify = function()
        for _, f in ipairs(bug:findings()) do
          if f.id == "DC004" then return f.omitted == "FlushAdapterBuffers" and 2 or 1 end
        end
      end,
      explain = {
        en = "FlushAdapterBuffers for the second MDL. The engine reports DC004 (bytes left in the adapter) at FreeMapRegisters, with the stale read inside it.",
        ru = "FlushAdapterBuffers для второго MDL. Движок сообщает DC004 (байты остались в адаптере) при FreeMapRegisters, а устаревшее чтение указано внутри этой находки.",
        zh = "针对第二个 MDL 的 FlushAdapterBuffers。引擎在 FreeMapRegisters 处报告 DC004（字节留在适配器中），陈旧读取列在其中。",
    } },
    { predict = {
        en = "On which platforms does the driver that flushes only the first MDL read wrong bytes?",
        ru = "На каких платформах драйвер, очищающий только первый MDL, читает неверные байты?",
        zh = "在哪些平台上，只刷新第一个 MDL 的驱动程序会读到错误的字节？",
      },
      choices = WIN,
      answer = {2, 3},
      verify = function()
        local wrong = {}
        for i, p in ipairs(WIN) do
          if bug:on(p):stale_reads() > 0 then wrong[#wrong + 1] = i end
        end
        return wrong
      end,
      explain = {
        en = "nt-busmaster: the posted writes. nt-doublebuffer: the second MDL's map buffer is never copied back. On nt-slave-dma the lengths are multiples of the controller's 16 bytes, so by luck no tail stays; x86 has no adapter buffers. The engine still reports DC008 on all four: the second transfer ended without its flush.",
        ru = "nt-busmaster: отложенная запись. nt-doublebuffer: буфер отображения второго MDL так и не копируется обратно. На nt-slave-dma длины кратны 16 байтам контроллера, и хвоста случайно не остаётся; на x86 у адаптера нет буферов. Но движок сообщает DC008 на всех четырёх: вторая передача завершилась без очистки.",
        zh = "nt-busmaster：延迟写入。nt-doublebuffer：第二个 MDL 的映射缓冲区从未被复制回来。在 nt-slave-dma 上，长度恰好是控制器 16 字节的整数倍，碰巧没有剩余字节；x86 的适配器没有缓冲区。但引擎在这四个平台上都报告 DC008：第二个传输结束时没有刷新。",
    } },
    { run = function() fixed = v2_read(2) return fixed end,
      say = {
        en = "Fixed: one FlushAdapterBuffers for each MDL of the chain, before FreeMapRegisters.",
        ru = "Исправлено: по одному FlushAdapterBuffers на каждый MDL цепочки, до FreeMapRegisters.",
        zh = "修正：在 FreeMapRegisters 之前，为链中每个 MDL 各调用一次 FlushAdapterBuffers。",
    } },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", at = 7, gives = {"DC008"} },
        { call = "FlushAdapterBuffers", at = 8, gives = {"DC001", "DC004"} },
      },
      say = {
        en = "The CPU cached nothing of the buffer, so KeFlushIoBuffers changes nothing; without a MapTransfer the disk writes unmapped bytes (DC011). Posted writes hold only the last bytes: without the first MDL's flush no byte is lost on nt-busmaster, yet that transfer ends unflushed (DC008).",
        ru = "Процессор не кэшировал буфер, поэтому KeFlushIoBuffers ничего не меняет; без MapTransfer диск пишет в неотображённые байты (DC011). В буфере отложенной записи только последние байты: без очистки первого MDL на nt-busmaster байты не теряются, но передача завершается без очистки (DC008).",
        zh = "处理器没有缓存该缓冲区，所以 KeFlushIoBuffers 不起作用；没有 MapTransfer，磁盘写入的是未映射的字节（DC011）。延迟写入缓冲区只保存最后的字节：没有第一个 MDL 的刷新，在 nt-busmaster 上不会丢失字节，但该传输结束时没有刷新（DC008）。",
    } },
    { run = function() return fixed:on("nt-doublebuffer") end,
      say = {
        en = "The same driver on nt-doublebuffer, where each MDL's map registers are backed by a map buffer.",
        ru = "Тот же драйвер на nt-doublebuffer, где регистры отображения каждого MDL работают через промежуточный буфер.",
        zh = "同一个驱动程序在 nt-doublebuffer 上运行，那里每个 MDL 的映射寄存器都由一个映射缓冲区支持。",
    } },
    { omissions = {
        { call = "FlushAdapterBuffers", at = 7, gives = {"DC004"} },
        { call = "FlushAdapterBuffers", at = 8, gives = {"DC001", "DC004"} },
      },
      say = {
        en = "Here every per-MDL flush is owed: each one copies its MDL's map buffer back to the buffer.",
        ru = "Здесь нужна каждая очистка MDL: каждая копирует промежуточный буфер своего MDL обратно в буфер драйвера.",
        zh = "这里每个 MDL 的刷新都必不可少：每次刷新都把该 MDL 的映射缓冲区复制回驱动程序的缓冲区。",
    } },
    { narrate = {
        en = "FlushAdapterBuffersEx (DMA interface version 3) takes the MDL chain, an Offset from its start and a Length, and flushes the whole scatter/gather list in one call. Set Offset and Length to the values the transfer was mapped with.",
        ru = "FlushAdapterBuffersEx (интерфейс DMA версии 3) принимает цепочку MDL, смещение Offset от её начала и длину Length и очищает весь список scatter/gather одним вызовом. Offset и Length должны быть теми же, что при отображении передачи.",
        zh = "FlushAdapterBuffersEx（DMA 接口版本 3）接受 MDL 链、从链首开始的偏移量 Offset 和长度 Length，一次调用即可刷新整个分散/收集列表。Offset 和 Length 应设为映射该传输时所用的值。",
    } },
    { run = function() return v3_read(0, CHAIN) end,
      say = {
        en = "On nt-v3: one MapTransferEx and one FlushAdapterBuffersEx over the chain, Offset=0 and Length=6144, as the transfer was mapped.",
        ru = "На nt-v3: один MapTransferEx и один FlushAdapterBuffersEx для всей цепочки, Offset=0 и Length=6144, как при отображении передачи.",
        zh = "在 nt-v3 上：对整个链调用一次 MapTransferEx 和一次 FlushAdapterBuffersEx，Offset=0，Length=6144，与映射传输时相同。",
    } },
    { expect = {} },
    { omissions = {
        { call = "MapTransferEx", gives = {"DC011"} },
        { call = "FlushAdapterBuffersEx", gives = {"DC001", "DC008"} },
      },
      say = {
        en = "Without FlushAdapterBuffersEx the transfer ends unflushed (DC008) and the CPU reads stale lines of the buffer (DC001).",
        ru = "Без FlushAdapterBuffersEx передача завершается без очистки (DC008), и процессор читает устаревшие строки кэша буфера (DC001).",
        zh = "没有 FlushAdapterBuffersEx，传输在未刷新的情况下结束（DC008），处理器读到缓冲区陈旧的缓存行（DC001）。",
    } },
    { predict = {
        en = "A driver passes Offset=4096 and Length=6144. What does FlushAdapterBuffersEx do?",
        ru = "Драйвер передаёт Offset=4096 и Length=6144. Что делает FlushAdapterBuffersEx?",
        zh = "驱动程序传入 Offset=4096、Length=6144。FlushAdapterBuffersEx 会怎样？",
      },
      choices = {
        { en = "STATUS_SUCCESS: flushes from 4096 to the end of the chain", ru = "STATUS_SUCCESS: очищает от 4096 до конца цепочки", zh = "STATUS_SUCCESS：刷新从 4096 到链尾的数据" },
        { en = "STATUS_SUCCESS: flushes the whole chain", ru = "STATUS_SUCCESS: очищает всю цепочку", zh = "STATUS_SUCCESS：刷新整个链" },
        { en = "STATUS_INVALID_PARAMETER: flushes nothing", ru = "STATUS_INVALID_PARAMETER: ничего не очищает", zh = "STATUS_INVALID_PARAMETER：什么也不刷新" },
      },
      answer = 3,
      verify = function()
        local s, status = v3_read(4096, CHAIN)
        if status == 0xC000000D then return 3 end
        return s:cpu_byte(MDL[1][1]) == MDL[1][3] and 2 or 1
      end,
      explain = {
        en = "Offset+Length=10240 lies beyond the 6144-byte chain: the routine fails with STATUS_INVALID_PARAMETER (the reference page spells it STATUS_INVALID_PARAMETERS) and flushes nothing.",
        ru = "Offset+Length=10240 выходит за пределы цепочки из 6144 байтов: процедура завершается с STATUS_INVALID_PARAMETER (на справочной странице написано STATUS_INVALID_PARAMETERS) и ничего не очищает.",
        zh = "Offset+Length=10240 超出了 6144 字节的 MDL 链：该例程返回 STATUS_INVALID_PARAMETER（参考页面写作 STATUS_INVALID_PARAMETERS），什么也不刷新。",
    } },
    { run = function() return v3_read(4096, CHAIN) end,
      say = {
        en = "The driver checks the status: it completes the IRP with STATUS_INVALID_PARAMETER and does not read the buffer.",
        ru = "Драйвер проверяет состояние: он завершает IRP с STATUS_INVALID_PARAMETER и не читает буфер.",
        zh = "驱动程序检查了返回状态：它以 STATUS_INVALID_PARAMETER 完成 IRP，不读取缓冲区。",
    } },
    { expect = {"DC011"} },
    { predict = {
        en = "Another driver passes Offset=0 and Length=4096, the first MDL's size, as it did for FlushAdapterBuffers. Which byte does it read at the start of the second MDL?",
        ru = "Другой драйвер передаёт Offset=0 и Length=4096, размер первого MDL, как делал для FlushAdapterBuffers. Какой байт он читает в начале второго MDL?",
        zh = "另一个驱动程序传入 Offset=0、Length=4096，即第一个 MDL 的大小，就像调用 FlushAdapterBuffers 时那样。它在第二个 MDL 开头读到哪个字节？",
      },
      answer = 0x00,
      verify = function() return v3_read(0, 4096):cpu_byte(MDL[2][1]) end,
      explain = {
        en = "0x00: the call succeeds, but bytes outside [Offset, Offset+Length) stay where they are. On nt-v3 the CPU filled the second MDL's lines during the transfer and nothing invalidated them (DC001).",
        ru = "0x00: вызов успешен, но байты вне [Offset, Offset+Length) остаются на месте. На nt-v3 процессор заполнил строки кэша второго MDL во время передачи, и никто их не сделал недействительными (DC001).",
        zh = "0x00：调用成功，但 [Offset, Offset+Length) 之外的字节保持原样。在 nt-v3 上，处理器在传输期间填充了第二个 MDL 的缓存行，却没有任何调用使其无效（DC001）。",
    } },
    { run = linux_partial_unmap,
      say = {
        en = "Linux has the same trap: dma_unmap_sg with nents=2 for a three-entry list. The third page is never synced nor released.",
        ru = "В Linux та же ловушка: dma_unmap_sg с nents=2 для списка из трёх элементов. Третья страница не синхронизируется и не освобождается.",
        zh = "Linux 也有同样的陷阱：对三个条目的列表以 nents=2 调用 dma_unmap_sg。第三页既没有同步也没有释放。",
    } },
    { expect = {"DC006", "DC011", "DC012"} },
  },
}
