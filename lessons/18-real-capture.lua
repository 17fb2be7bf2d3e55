-- Lesson 18: a real capture.  tests/data/captures/buggy/trace.dat was
-- recorded by trace-cmd from the dma:* tracepoints of a real Linux kernel
-- (x86 under QEMU, swiotlb=force) while a small module, dmabug, ran 24
-- labelled sequences on a dummy device (tests/data/captures/README.md).
-- Replayed as arm-noncoherent, its sequence S02 reads a FROM_DEVICE buffer
-- before dma_sync_single_for_cpu: found with the findings, the omission
-- matrix and what-if, and fixed by inserting the missing call.
local CAP = "tests/data/captures/buggy/trace.dat"
local PHYS, BUS, LEN = 0x2cf0800, 0x3a700800, 1536   -- S02's buffer and mapping
local READ, END02 = 12, 15                           -- S02's early read; its seq end
local SYNC = {"dma_sync_for_cpu", dev = "dmabug", bus = BUS, len = LEN, dir = "FROM_DEVICE"}
local PLATFORMS = {"x86", "x86-swiotlb", "arm-noncoherent", "arm-speculative"}

local cap, bug, fixed, diff, undone

local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

-- the capture's first @n events replayed alone, with the sync before READ if @fix
local function slice(n, fix)
  local s = dma.sim(cap:platform())
  for i = 1, n do
    if fix and i == READ then s:apply(SYNC) end
    s:apply(cap:event(i))
  end
  return s
end

-- the sequence (S01..S24) each event of @s lies in
local function sequences(s)
  local seq, cur = {}, nil
  for i = 1, s:count() do
    local e = s:event(i)
    cur = e:match('^begin scope=seq text="(%w+)"') or cur
    seq[i] = cur
    if e:match("^end scope=seq") then cur = nil end
  end
  return seq
end

-- the sequences with an error finding, in order, as one text
local function flagged(s)
  local seq, seen, list = sequences(s), {}, {}
  for _, f in ipairs(s:findings()) do
    local name = f.error and seq[f.event]
    if name and not seen[name] then
      seen[name] = true
      list[#list + 1] = name
    end
  end
  table.sort(list)
  return #list, table.concat(list, " ")
end

-- the first event of @kind in sequence @name of the capture
local function find_in(name, kind)
  local seq = sequences(cap)
  for i = 1, cap:count() do
    if seq[i] == name and cap:event(i):match("^(%S+)") == kind then return i end
  end
end

-- the omission row of event @at of the capture
local function row(at)
  for _, r in ipairs(cap:omissions()) do
    if r.at == at then return r end
  end
end

-- event @n of @s: its kind
local function kind(s, n) return s:event(n):match("^(%S+)") end

return {
  id = "real-capture",
  order = 18,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "linux-ownership"},
  title = {
    en = "A real capture: find the bug, fix it with what-if",
    ru = "Настоящая трасса: найти ошибку и исправить её через what-if",
    zh = "真实的跟踪记录：找出错误，用 what-if 修复",
  },
  teaches = {
    en = "A trace.dat from a real kernel replays on any platform; findings, the omission matrix and what-if lead to the missing dma_sync_single_for_cpu, and inserting it makes the findings disappear.",
    ru = "Трасса trace.dat настоящего ядра воспроизводится на любой платформе; находки, матрица пропусков и what-if приводят к пропущенному dma_sync_single_for_cpu, а его вставка убирает находки.",
    zh = "来自真实内核的 trace.dat 可以在任何平台上重放；发现、省略矩阵和 what-if 指向缺失的 dma_sync_single_for_cpu，插入它之后这些发现就消失了。",
  },
  steps = {
    { narrate = {
        en = "This capture was recorded by trace-cmd from the dma:* tracepoints of a real Linux kernel (x86 under QEMU, swiotlb=force). A small module, dmabug, called the real DMA API on a dummy device in 24 labelled sequences, S01 to S24, and marked each CPU and device access.",
        ru = "Эту трассу записал trace-cmd с точек трассировки dma:* настоящего ядра Linux (x86 в QEMU, swiotlb=force). Небольшой модуль dmabug вызывал настоящий DMA API для фиктивного устройства в 24 помеченных последовательностях, от S01 до S24, и отмечал каждое обращение процессора и устройства.",
        zh = "此跟踪记录由 trace-cmd 从真实 Linux 内核（QEMU 中的 x86，swiotlb=force）的 dma:* 跟踪点录制。一个小模块 dmabug 在虚拟设备上以 24 个带标签的序列（S01 到 S24）调用真实的 DMA API，并标记了处理器和设备的每次访问。",
    } },
    { narrate = {
        en = "We replay it as arm-noncoherent: what would these calls do on an arm64 system whose devices do not snoop the caches? A trace records no data, so each write leaves its event's number as its bytes: event 4 writes 0x04.",
        ru = "Воспроизведём её как arm-noncoherent: что сделали бы эти вызовы на системе arm64, где устройства не отслеживают кэш? Трасса не содержит данных, поэтому каждая запись оставляет байты, равные номеру её события: событие 4 пишет 0x04.",
        zh = "我们以 arm-noncoherent 重放它：在设备不监听缓存的 arm64 系统上，这些调用会产生什么结果？跟踪记录不含数据，因此每次写入的字节就是其事件编号：事件 4 写入 0x04。",
    } },
    { run = function()
        cap = dma.load(CAP, "arm-noncoherent")
        return cap
      end,
      say = {
        en = "dma.load reads the trace.dat and replays it: the markers become cpu_/dev_ events and scopes, the tracepoints DMA calls.",
        ru = "dma.load читает trace.dat и воспроизводит его: метки становятся событиями cpu_/dev_ и областями, точки трассировки — вызовами DMA.",
        zh = "dma.load 读取 trace.dat 并重放：标记变为 cpu_/dev_ 事件和作用域，跟踪点变为 DMA 调用。",
    } },
    { expect = {"DC001", "DC002", "DC003", "DC006", "DC007", "DC010", "DC011", "DC012"} },
    { predict = {
        en = "dmabug labelled 13 of its 24 sequences BUG. In how many sequences does the engine find an error on arm-noncoherent?",
        ru = "dmabug пометил 13 из 24 последовательностей как BUG. В скольких последовательностях движок находит ошибку на arm-noncoherent?",
        zh = "dmabug 把 24 个序列中的 13 个标记为 BUG。在 arm-noncoherent 上，引擎在多少个序列中发现错误？",
      },
      answer = 13,
      verify = function() return (flagged(cap)) end,
      explain = {
        en = "13: every sequence labelled BUG, and none of the 11 correct ones. The capture's tests hold the engine to that score.",
        ru = "13: все последовательности с меткой BUG и ни одной из 11 правильных. Тесты трассы требуют от движка именно такого результата.",
        zh = "13：所有标记为 BUG 的序列，11 个正确序列一个也没有。该跟踪记录的测试要求引擎达到这个结果。",
    } },
    { narrate = function()
        local _, list = flagged(cap)
        local f = cap:findings()[1]
        local seq = sequences(cap)
        return {
          en = ("The flagged sequences: %s. The first finding is %s %s at event %d (%s) in %s."):format(list, f.id, f.name, f.event, kind(cap, f.event), seq[f.event]),
          ru = ("Последовательности с находками: %s. Первая находка: %s %s в событии %d (%s) в %s."):format(list, f.id, f.name, f.event, kind(cap, f.event), seq[f.event]),
          zh = ("有发现的序列：%s。第一个发现是事件 %d（%s）处的 %s %s，位于 %s。"):format(list, f.event, kind(cap, f.event), f.id, f.name, seq[f.event]),
        }
      end },
    { run = function() bug = slice(END02) return bug end,
      say = {
        en = "Replay the capture's first 15 events alone: S01 (a correct TO_DEVICE transfer) and S02. In S02 dmabug maps a buffer FROM_DEVICE, the device writes it, and the CPU reads its first 64 bytes at event 12, before the unmap.",
        ru = "Воспроизведём отдельно первые 15 событий: S01 (правильная передача TO_DEVICE) и S02. В S02 dmabug отображает буфер с FROM_DEVICE, устройство пишет в него, а процессор читает первые 64 байта в событии 12, до unmap.",
        zh = "单独重放前 15 个事件：S01（正确的 TO_DEVICE 传输）和 S02。在 S02 中，dmabug 以 FROM_DEVICE 映射缓冲区，设备写入它，处理器在事件 12（unmap 之前）读取前 64 个字节。",
    } },
    { expect = {"DC006", "DC001"} },
    { predict = {
        en = "At event 12 memory holds 0x0b at 0x2cf0800 (the device's write, event 11). Which byte does the CPU read there?",
        ru = "В событии 12 память по адресу 0x2cf0800 содержит 0x0b (запись устройства, событие 11). Какой байт читает там процессор?",
        zh = "在事件 12，内存 0x2cf0800 处是 0x0b（设备的写入，事件 11）。处理器在那里读到哪个字节？",
      },
      answer = 0x04,
      verify = function() return slice(READ):cpu_byte(PHYS) end,
      explain = {
        en = "0x04: S01's cpu_write (event 4) left the line in the cache. arm64's dma_map (event 10) cleaned it but did not invalidate it, and nothing invalidated it before the read: the CPU sees its own old bytes.",
        ru = "0x04: cpu_write из S01 (событие 4) оставил строку в кэше. dma_map на arm64 (событие 10) записал её в память, но оставил в кэше, и до чтения никто не сделал её недействительной: процессор видит свои старые байты.",
        zh = "0x04：S01 的 cpu_write（事件 4）把该缓存行留在了缓存中。arm64 的 dma_map（事件 10）清理了它但没有使其无效，读取之前也没有任何操作使其无效：处理器看到的是自己的旧字节。",
    } },
    { narrate = function()
        local at = find_in("S03", "dma_unmap")
        local r = row(at)
        local added = table.concat(r.added, ", ")
        return {
          en = ("The omission matrix of the whole capture points at the cause. S03 is S02's correct twin. Its row for event %d, %s, adds %s when that call is left out: DC006 and DC001 are S02's findings. S02 lacks a hand-over before its read."):format(at, r.line, added),
          ru = ("Матрица пропусков всей трассы указывает на причину. S03 — правильный двойник S02. Её строка для события %d, %s, при пропуске этого вызова добавляет %s: DC006 и DC001 — находки S02. В S02 перед чтением нет передачи буфера процессору."):format(at, r.line, added),
          zh = ("整个跟踪记录的省略矩阵指出了原因。S03 是 S02 的正确版本。它在事件 %d 的那一行 %s，省略该调用时会增加 %s：其中 DC006 和 DC001 正是 S02 的发现。S02 在读取之前缺少把缓冲区交还处理器的调用。"):format(at, r.line, added),
        }
      end },
    { predict = {
        en = "Which call is missing just before event 12?",
        ru = "Какого вызова не хватает прямо перед событием 12?",
        zh = "事件 12 之前缺少哪个调用？",
      },
      choices = {"dma_sync_single_for_device", "dma_sync_single_for_cpu", "dma_unmap_single",
                 "dma_map_single"},
      answer = 2,
      verify = function()
        local tries = {
          {"dma_sync_for_device", dev = "dmabug", bus = BUS, len = LEN, dir = "FROM_DEVICE"},
          SYNC,
          {"dma_unmap", dev = "dmabug", bus = BUS, len = LEN, dir = "FROM_DEVICE"},
          {"dma_map", dev = "dmabug", addr = PHYS, bus = BUS, len = LEN, dir = "FROM_DEVICE"},
        }
        local right = {}
        for i, ev in ipairs(tries) do
          local w = cap:whatif()
          w:insert(READ, ev)
          local d = w:diff()
          w:close()
          if has(d.removed_ids, "DC006") and #d.added_ids == 0 then right[#right + 1] = i end
        end
        return right
      end,
      explain = {
        en = "dma_sync_single_for_cpu: it hands the buffer to the CPU and, on arm64, invalidates the stale line. Unmapping there would also hand it over, but the recorded unmap at event 13 would then be a double unmap (DC011).",
        ru = "dma_sync_single_for_cpu: он передаёт буфер процессору и на arm64 делает устаревшую строку недействительной. Unmap в этом месте тоже передал бы буфер, но записанный unmap в событии 13 стал бы повторным (DC011).",
        zh = "dma_sync_single_for_cpu：它把缓冲区交还处理器，并在 arm64 上使陈旧的缓存行无效。在这里 unmap 也能交还缓冲区，但事件 13 处记录的 unmap 就会成为重复解除映射（DC011）。",
    } },
    { run = function()
        local w = cap:whatif()
        w:insert(READ, SYNC)
        diff = w:diff()
        w:clear()
        w:omit(READ)              -- the other way out: no early read
        undone = w:diff()
        w:close()
      end,
      say = {
        en = "What-if on the whole capture: insert dma_sync_for_cpu(FROM_DEVICE) before event 12 and replay. The recording is not changed; the edited run is compared with it.",
        ru = "What-if на всей трассе: вставим dma_sync_for_cpu (FROM_DEVICE) перед событием 12 и воспроизведём. Запись не меняется; изменённый прогон сравнивается с ней.",
        zh = "在整个跟踪记录上使用 what-if：在事件 12 之前插入 dma_sync_for_cpu（FROM_DEVICE）并重放。录制的记录不会改变；编辑后的运行与它进行比较。",
    } },
    { narrate = function()
        local function ids(t) return #t > 0 and table.concat(t, ", ") or "-" end
        local gone, new, alt = ids(diff.removed_ids), ids(diff.added_ids), ids(undone.removed_ids)
        return {
          en = ("The diff: the runs part at event %d; removed: %s; added: %s. The other sequences' findings stay: each is a bug of its own. Leaving the early read out instead (w:omit(12)) removes %s too: the other fix is to read only after the unmap."):format(diff.diverge, gone, new, alt),
          ru = ("Сравнение: прогоны расходятся в событии %d; исчезли: %s; добавились: %s. Находки других последовательностей остаются: у каждой своя ошибка. Если вместо этого убрать раннее чтение (w:omit(12)), тоже исчезнут %s: другое исправление — читать только после unmap."):format(diff.diverge, gone, new, alt),
          zh = ("比较结果：两次运行在事件 %d 处分开；消失：%s；新增：%s。其他序列的发现仍然存在：每个都是各自的错误。若改为去掉提前的读取（w:omit(12)），%s 同样会消失：另一种修复是只在 unmap 之后读取。"):format(diff.diverge, gone, new, alt),
        }
      end },
    { run = function() fixed = slice(END02, true) return fixed end,
      say = {
        en = "S01 and S02 again, with the dma_sync_for_cpu the what-if inserted before the read.",
        ru = "Снова S01 и S02, с dma_sync_for_cpu, вставленным через what-if перед чтением.",
        zh = "再次运行 S01 和 S02，读取之前带有 what-if 插入的 dma_sync_for_cpu。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_map", gives = {"DC011"} },
        { call = "dma_unmap", gives = {"DC012"} },
        { call = "dma_sync_for_cpu", gives = {"DC001", "DC006"} },
      },
      say = {
        en = "Leave each call out in turn. Without the sync, S02's bug is back (DC006, DC001). Without a map the device touches unmapped memory (DC011). Without an unmap the mapping leaks at the sequence's end (DC012): the sync gave the buffer back, but the unmap is still owed.",
        ru = "Уберите по очереди каждый вызов. Без sync ошибка S02 возвращается (DC006, DC001). Без map устройство обращается к неотображённой памяти (DC011). Без unmap отображение утекает в конце последовательности (DC012): sync вернул буфер, но unmap всё равно нужен.",
        zh = "依次去掉每个调用。没有 sync，S02 的错误又回来了（DC006、DC001）。没有 map，设备访问未映射的内存（DC011）。没有 unmap，映射在序列结束时泄漏（DC012）：sync 交还了缓冲区，但仍然必须 unmap。",
    } },
    { predict = {
        en = "Without the sync, on which platforms is the read at event 12 stale (DC001)?",
        ru = "На каких платформах чтение в событии 12 без sync устаревшее (DC001)?",
        zh = "没有 sync 时，在哪些平台上事件 12 的读取是陈旧的（DC001）？",
      },
      choices = PLATFORMS,
      answer = {2, 3, 4},
      verify = function() return bug:breaks_on(PLATFORMS, "DC001") end,
      explain = {
        en = "All but x86, where the device snoops the cache (DC006 is still reported: the API's rule). With swiotlb the data waits in the bounce slot until the sync: that is what the recording machine saw, a stale read in S02.",
        ru = "На всех, кроме x86, где устройство отслеживает кэш (DC006 всё равно сообщается: это правило API). С swiotlb данные ждут в буфере bounce до sync: именно это увидела машина, на которой шла запись, — устаревшее чтение в S02.",
        zh = "除 x86 以外都会，x86 上设备会监听缓存（仍报告 DC006：这是 API 的规则）。使用 swiotlb 时数据在 sync 之前一直留在 bounce 缓冲区中：录制时的机器正是看到了这一点，即 S02 中的陈旧读取。",
    } },
  },
}
