-- Lesson 17: dma_alloc_noncoherent: cached DMA memory that the CPU owns
-- first; dma_sync_single_for_device before the device reads it,
-- dma_sync_single_for_cpu after the device writes it.  The trace format has
-- no dma_alloc_noncoherent event: the kernel implements it with
-- dma_alloc_pages and traces it so (docs/model.md section 2), so the lesson
-- applies dma_alloc_pages / dma_free_pages.
local BUF, SIZE, CMD = 0x90000, 4096, 64     -- a command, then the reply
local LINUX = {"x86", "x86-swiotlb", "arm-noncoherent", "arm-speculative"}

-- the driver writes a command (0xc1) and clears the reply area; the device
-- reads the command and writes its reply (0x5a); the driver reads the reply
local function exchange(o)
  local p = dma.platform(o.plat or "arm-noncoherent")
  p:device("dsp")
  local s = dma.sim(p)
  local area = {dev = "dsp", addr = BUF, bus = BUF, len = SIZE, dir = "BIDIRECTIONAL"}
  local sync = {dev = "dsp", bus = BUF, len = 2 * CMD, dir = "BIDIRECTIONAL"}
  if o.coherent then s:dma_alloc_coherent(area) else s:dma_alloc_pages(area) end
  s:cpu_write{addr = BUF, len = 2 * CMD, data = string.rep("c1", CMD) .. string.rep("00", CMD)}
  if not o.no_dev then s:dma_sync_for_device(sync) end
  s:dev_read{dev = "dsp", addr = BUF, len = CMD}
  s:dev_write{dev = "dsp", addr = BUF + CMD, len = CMD, data = string.rep("5a", CMD)}
  if not o.no_cpu then s:dma_sync_for_cpu(sync) end
  s:cpu_read{addr = BUF + CMD, len = CMD}
  if o.coherent then s:dma_free_coherent(area) else s:dma_free_pages(area) end
  s:trace_end()
  return s
end

local bug

return {
  id = "alloc-noncoherent",
  order = 17,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "linux-ownership"},
  title = {
    en = "dma_alloc_noncoherent: cached memory the CPU owns first",
    ru = "dma_alloc_noncoherent: кэшируемая память, которая сначала принадлежит процессору",
    zh = "dma_alloc_noncoherent：先归处理器所有的可缓存内存",
  },
  teaches = {
    en = "Memory from dma_alloc_noncoherent is cached and starts as the CPU's: dma_sync_single_for_device before the device reads it, dma_sync_single_for_cpu after the device writes it; dma_alloc_coherent memory needs neither.",
    ru = "Память от dma_alloc_noncoherent кэшируется и сначала принадлежит процессору: dma_sync_single_for_device перед тем, как устройство её читает, dma_sync_single_for_cpu после того, как оно в неё пишет; памяти от dma_alloc_coherent не нужно ни то, ни другое.",
    zh = "dma_alloc_noncoherent 分配的内存是可缓存的，且起初归处理器所有：设备读取前调用 dma_sync_single_for_device，设备写入后调用 dma_sync_single_for_cpu；dma_alloc_coherent 分配的内存两者都不需要。",
  },
  steps = {
    { narrate = {
        en = "dma_alloc_coherent memory needs no syncs, but on a noncoherent arm64 system it is uncached: every CPU access is slow. dma_alloc_noncoherent returns cached memory instead; the driver then owes syncs as for a streaming mapping.",
        ru = "Память от dma_alloc_coherent не требует синхронизации, но на некогерентной системе arm64 она не кэшируется: каждое обращение процессора медленное. dma_alloc_noncoherent возвращает кэшируемую память; тогда драйвер должен синхронизировать её, как потоковое отображение.",
        zh = "dma_alloc_coherent 分配的内存无需同步，但在非一致性的 arm64 系统上它是不可缓存的：处理器的每次访问都很慢。dma_alloc_noncoherent 则返回可缓存的内存，驱动程序因此要像流式映射那样进行同步。",
    } },
    { narrate = {
        en = "One difference: dma_map_single hands the buffer to the device, but a fresh dma_alloc_noncoherent buffer belongs to the CPU. In the trace format it is a dma_alloc_pages event: the kernel builds dma_alloc_noncoherent on dma_alloc_pages and traces it under that name.",
        ru = "Одно отличие: dma_map_single отдаёт буфер устройству, а новый буфер от dma_alloc_noncoherent принадлежит процессору. В формате трассы это событие dma_alloc_pages: ядро реализует dma_alloc_noncoherent через dma_alloc_pages и трассирует его под этим именем.",
        zh = "有一点不同：dma_map_single 把缓冲区交给设备，而新分配的 dma_alloc_noncoherent 缓冲区归处理器所有。在跟踪格式中它是一个 dma_alloc_pages 事件：内核基于 dma_alloc_pages 实现 dma_alloc_noncoherent，并以该名称记录跟踪。",
    } },
    { run = function()
        bug = exchange{no_dev = true}
        return bug
      end,
      say = {
        en = "arm-noncoherent. The driver allocates 4096 bytes with dma_alloc_noncoherent (BIDIRECTIONAL), writes a 64-byte command of 0xc1, clears the reply area, and lets the DSP read the command at once. The DSP replies with 0x5a; the driver syncs for the CPU and reads.",
        ru = "arm-noncoherent. Драйвер выделяет 4096 байт через dma_alloc_noncoherent (BIDIRECTIONAL), пишет 64-байтную команду из 0xc1, очищает область ответа и сразу даёт DSP прочитать команду. DSP отвечает байтами 0x5a; драйвер синхронизирует для процессора и читает.",
        zh = "arm-noncoherent。驱动程序用 dma_alloc_noncoherent（BIDIRECTIONAL）分配 4096 字节，写入由 0xc1 组成的 64 字节命令，清空应答区，然后立即让 DSP 读取命令。DSP 以 0x5a 应答；驱动程序为处理器同步后读取。",
    } },
    { predict = {
        en = "Which byte did the DSP read at the command's start?",
        ru = "Какой байт DSP прочитал в начале команды?",
        zh = "DSP 在命令开头读到哪个字节？",
      },
      answer = 0x00,
      verify = function()
        for _, f in ipairs(bug:findings()) do
          if f.id == "DC002" then return f.seen[1] end
        end
        return 0xc1
      end,
      explain = {
        en = "0x00, what memory held. The command was in dirty cache lines: the memory is cached, and nothing wrote those lines back before the DSP read.",
        ru = "0x00 — то, что было в памяти. Команда лежала в изменённых строках кэша: память кэшируемая, и ничто не записало эти строки в память до чтения DSP.",
        zh = "0x00，即内存中的内容。命令还在脏缓存行里：这块内存是可缓存的，在 DSP 读取之前没有任何操作把这些缓存行写回内存。",
    } },
    { predict = {
        en = "Which call is missing?",
        ru = "Какого вызова не хватает?",
        zh = "缺少哪个调用？",
      },
      choices = {
        "dma_sync_single_for_device",
        "dma_sync_single_for_cpu",
        "dma_map_single",
        { en = "none: DMA API memory needs no sync", ru = "никакого: память из DMA API не требует синхронизации", zh = "不缺：DMA API 分配的内存无需同步" },
      },
      answer = 1,
      verify = function()
        local kinds = {"dma_sync_for_device", "dma_sync_for_cpu", "dma_map"}
        local root = bug:findings()[1]
        for i, k in ipairs(kinds) do
          if root.omitted == k then return i end
        end
        return 4
      end,
      explain = {
        en = "dma_sync_single_for_device, after the CPU wrote and before the DSP reads: it cleans the lines and hands the bytes to the device. The buffer was the CPU's; no map did it. The dirty reply line also sat under the DSP's reply (DC003).",
        ru = "dma_sync_single_for_device — после записи процессора и до чтения DSP: он записывает строки в память и передаёт байты устройству. Буфер принадлежал процессору; никакой map этого не сделал. Изменённая строка ответа к тому же лежала поверх ответа DSP (DC003).",
        zh = "dma_sync_single_for_device，在处理器写入之后、DSP 读取之前调用：它把缓存行写回内存并把这些字节交给设备。缓冲区原本归处理器所有，没有任何 map 替它完成这一步。脏的应答缓存行还压在 DSP 的应答之上（DC003）。",
    } },
    { expect = {{id = "DC006", at = 3}, "DC002", "DC003"} },
    { run = function() return exchange{} end,
      say = {
        en = "The fixed driver: dma_sync_single_for_device after writing the command, dma_sync_single_for_cpu before reading the reply, dma_free_noncoherent at the end (traced as dma_free_pages).",
        ru = "Исправленный драйвер: dma_sync_single_for_device после записи команды, dma_sync_single_for_cpu перед чтением ответа, в конце dma_free_noncoherent (в трассе dma_free_pages).",
        zh = "修正后的驱动程序：写完命令后调用 dma_sync_single_for_device，读取应答前调用 dma_sync_single_for_cpu，最后调用 dma_free_noncoherent（跟踪中为 dma_free_pages）。",
    } },
    { expect = {} },
    { omissions = {
        { call = "dma_sync_for_device", gives = {"DC002", "DC003", "DC006"} },
        { call = "dma_sync_for_cpu", gives = {"DC001", "DC006"} },
      },
      say = {
        en = "Without the sync for the device the DSP reads stale memory (DC002) and replies under a dirty line (DC003). Without the sync for the CPU the driver reads the device's bytes (DC006) from the stale cached line (DC001).",
        ru = "Без синхронизации для устройства DSP читает устаревшую память (DC002) и пишет ответ под изменённую строку (DC003). Без синхронизации для процессора драйвер читает байты устройства (DC006) из устаревшей строки кэша (DC001).",
        zh = "没有为设备同步，DSP 读到陈旧的内存（DC002），并把应答写在脏缓存行之下（DC003）。没有为处理器同步，驱动程序从陈旧的缓存行（DC001）读取归设备所有的字节（DC006）。",
    } },
    { predict = {
        en = "Without dma_sync_single_for_cpu, on which platforms does the driver read wrong bytes?",
        ru = "На каких платформах драйвер без dma_sync_single_for_cpu читает неверные байты?",
        zh = "没有 dma_sync_single_for_cpu 时，驱动程序在哪些平台上会读到错误的字节？",
      },
      choices = LINUX,
      answer = {3, 4},
      verify = function()
        local got, s = {}, exchange{no_cpu = true}
        if #s:breaks_on(LINUX) < #LINUX then return {} end   -- DC006 everywhere
        for i, n in ipairs(LINUX) do
          if s:on(n):stale_reads() > 0 then got[#got + 1] = i end
        end
        return got
      end,
      explain = {
        en = "The arm64 ones. x86 snoops, and swiotlb never bounces allocated memory, so x86-swiotlb reads the right bytes too. DC006 is still reported everywhere: the bytes were the device's.",
        ru = "На arm64. x86 отслеживает кэш, а swiotlb никогда не применяет bounce к выделенной памяти, поэтому и x86-swiotlb читает верные байты. DC006 всё равно сообщается везде: байты принадлежали устройству.",
        zh = "arm64 平台。x86 监听缓存，而 swiotlb 从不对分配的内存使用 bounce，所以 x86-swiotlb 也读到正确的字节。但 DC006 在所有平台上都会报告：这些字节当时归设备所有。",
    } },
    { predict = {
        en = "The same exchange on dma_alloc_coherent memory: which syncs does the driver owe?",
        ru = "Тот же обмен в памяти от dma_alloc_coherent: какие синхронизации нужны драйверу?",
        zh = "同样的交互改用 dma_alloc_coherent 分配的内存：驱动程序需要哪些同步？",
      },
      choices = {
        { en = "both", ru = "обе", zh = "两者都需要" },
        { en = "only for the device", ru = "только для устройства", zh = "只需为设备同步" },
        { en = "only for the CPU", ru = "только для процессора", zh = "只需为处理器同步" },
        { en = "none, and syncing it is an error", ru = "никаких, и синхронизировать её — ошибка", zh = "都不需要，对它同步反而是错误" },
      },
      answer = 4,
      verify = function()
        local plain = exchange{coherent = true, no_dev = true, no_cpu = true}
        local synced = exchange{coherent = true}
        local wrong = #synced:errors() == 1 and synced:errors()[1] == "DC011"
        return (#plain:errors() == 0 and wrong) and 4 or 1
      end,
      explain = {
        en = "None: the CPU does not cache it, so both sides always see memory. A sync of a coherent allocation is DC011. The price is slow uncached CPU access, which dma_alloc_noncoherent trades for syncs.",
        ru = "Никаких: процессор её не кэширует, и обе стороны всегда видят память. Синхронизация когерентного выделения — DC011. Плата за это — медленный доступ процессора без кэша; dma_alloc_noncoherent меняет его на синхронизацию.",
        zh = "都不需要：处理器不缓存这块内存，双方看到的始终是内存。对一致性分配进行同步属于 DC011。代价是处理器不经缓存的访问很慢；dma_alloc_noncoherent 用同步换取了缓存。",
    } },
    { run = function() return exchange{coherent = true, no_dev = true, no_cpu = true} end,
      say = {
        en = "The exchange on dma_alloc_coherent memory, without syncs.",
        ru = "Обмен в памяти от dma_alloc_coherent, без синхронизации.",
        zh = "在 dma_alloc_coherent 分配的内存上进行交互，不做同步。",
    } },
    { expect = {} },
  },
}
