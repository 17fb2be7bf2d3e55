-- Lesson 8: FlushAdapterBuffers returns a BOOLEAN; FALSE means the flush
-- failed and moved nothing.  Completing the IRP with STATUS_SUCCESS anyway
-- hands the caller data that may never have reached memory.
-- Source: "Flushing Cached Data during DMA Operations", last paragraph;
-- cf. traces/samples/flush-status.*.dmt.
local BUF, LEN, H, IRP = 0x800000, 256, 0x40, 5
local plat = dma.platform("nt-busmaster")      -- posted-write buffer P=32
plat:device("nic")

local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

local function flush(s, ok)
  return s:FlushAdapterBuffers{dev = "nic", seg = {BUF, false, LEN}, len = LEN, handle = H,
                               irp = IRP, WriteToDevice = false, status = ok}
end

-- the transfer, up to the failed flush; returns the Sim and the flush's event number
local function transfer()
  local s = dma.sim(plat)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("aa", LEN)}   -- old contents
  s:KeFlushIoBuffers{dev = "nic", seg = {BUF, false, LEN},
                     ReadOperation = true, DmaOperation = true}
  s:MapTransfer{dev = "nic", seg = {BUF, false, LEN}, len = LEN, handle = H, irp = IRP,
                WriteToDevice = false}
  s:dev_write{dev = "nic", addr = BUF, len = LEN, data = string.rep("55", LEN)}
  return s, flush(s, false)
end

-- the end of the IRP: @status; the caller reads the data on success.
-- Returns @s and the event number of IoCompleteRequest.
local function complete(s, status)
  s:FreeMapRegisters{dev = "nic", handle = H}
  local done = s:IoCompleteRequest{irp = IRP, status = status}
  if status == "STATUS_SUCCESS" then s:cpu_read{addr = BUF, len = LEN} end
  return s, done
end

-- what each answer to "what should the driver do?" gives: error ids
local function choice_errors(k)
  local s = (transfer())
  if k == 2 then
    s:KeFlushIoBuffers{dev = "nic", seg = {BUF, false, LEN},
                       ReadOperation = true, DmaOperation = true}
  elseif k == 3 then
    local retry = (transfer())
    flush(retry, true)
    local errs = (complete(retry, "STATUS_SUCCESS")):errors()
    if #errs > 0 then return errs end
    return (complete(s, "STATUS_DEVICE_DATA_ERROR")):errors()  -- the retry failed too
  elseif k == 4 then
    s:FreeMapRegisters{dev = "nic", handle = H}
  end
  return (complete(s, "STATUS_SUCCESS")):errors()
end

local bug, fixed, failed
local DONE, FIRST_FLUSH  -- the buggy IoCompleteRequest; the fixed run's failed flush
local PLATFORMS = {"nt-slave-dma", "nt-busmaster", "nt-doublebuffer", "x86"}

return {
  id = "flush-status",
  order = 8,
  languages = {"en", "ru", "zh"},
  requires = {"dma-cache", "busmaster-flush"},
  title = {
    en = "FlushAdapterBuffers returned FALSE: the IRP's I/O status",
    ru = "FlushAdapterBuffers вернул FALSE: блок состояния ввода-вывода IRP",
    zh = "FlushAdapterBuffers 返回 FALSE：IRP 的 I/O 状态块",
  },
  teaches = {
    en = "FlushAdapterBuffers returns a BOOLEAN; after FALSE the data may not be in memory, so the driver retries the flush or completes the IRP with an error status, never with STATUS_SUCCESS.",
    ru = "FlushAdapterBuffers возвращает логическое значение; после FALSE данных может не быть в памяти, поэтому драйвер повторяет очистку или завершает IRP с кодом ошибки, но не с STATUS_SUCCESS.",
    zh = "FlushAdapterBuffers 返回布尔值；返回 FALSE 之后数据可能不在内存中，因此驱动程序应重试刷新，或以错误状态完成 IRP，而绝不能以 STATUS_SUCCESS 完成。",
  },
  steps = {
    { narrate = {
        en = "FlushAdapterBuffers returns a BOOLEAN indicating whether the requested flush operation was successful. Drivers can use this value to determine how to set the I/O status block when completing an IRP for any DMA read or write operation.",
        ru = "FlushAdapterBuffers возвращает логическое значение, указывающее, успешно ли выполнена запрошенная операция очистки. Драйвер может использовать это значение, чтобы определить, как задать блок состояния ввода-вывода при завершении IRP для операции чтения или записи DMA.",
        zh = "FlushAdapterBuffers 返回一个布尔值，指示请求的刷新操作是否成功。完成 DMA 读取或写入操作的 IRP 时，驱动程序可以使用此值来确定如何设置 I/O 状态块。",
    } },
    { run = function() bug = transfer() return bug end,
      say = {
        en = "A network card on nt-busmaster (32 bytes of posted writes) writes 256 bytes of 0x55 over a buffer holding 0xaa. The driver calls FlushAdapterBuffers, which returns FALSE.",
        ru = "Сетевая карта на nt-busmaster (32 байта отложенной записи) записывает 256 байтов 0x55 в буфер с байтами 0xaa. Драйвер вызывает FlushAdapterBuffers, и тот возвращает FALSE.",
        zh = "nt-busmaster（32 字节延迟写入）上的网卡把 256 个 0x55 字节写入内容为 0xaa 的缓冲区。驱动程序调用 FlushAdapterBuffers，它返回 FALSE。",
    } },
    { predict = {
        en = "After the failed flush, which byte does memory hold at the buffer's last byte (0x8000ff)?",
        ru = "Какой байт лежит в памяти на месте последнего байта буфера (0x8000ff) после неудачной очистки?",
        zh = "刷新失败之后，内存中缓冲区最后一个字节（0x8000ff）是什么？",
      },
      answer = 0xaa,
      verify = function() return bug:mem_byte(BUF + LEN - 1) end,
      explain = {
        en = "0xaa, the old contents: a failed flush moves nothing. The card's last 32 bytes are still posted, not in memory.",
        ru = "0xaa, старое содержимое: неудачная очистка ничего не перемещает. Последние 32 байта карты всё ещё отложены и в память не попали.",
        zh = "0xaa，旧内容：失败的刷新不移动任何数据。网卡最后的 32 个字节仍处于延迟状态，不在内存中。",
    } },
    { run = function()
        bug, DONE = complete(bug, "STATUS_SUCCESS")
        return bug
      end,
      say = {
        en = "The driver ignores the result: it frees the map registers and completes the IRP with STATUS_SUCCESS. The caller reads the buffer.",
        ru = "Драйвер не смотрит на результат: он освобождает регистры отображения и завершает IRP с STATUS_SUCCESS. Вызывающая сторона читает буфер.",
        zh = "驱动程序忽略了返回值：它释放映射寄存器，并以 STATUS_SUCCESS 完成 IRP。调用方读取缓冲区。",
    } },
    { expect = {"DC009"} },
    { narrate = function()
        return {
          en = ("The engine reports DC009 flush-status-ignored at event %d (IoCompleteRequest). The caller read 0x%02x at 0x8000ff, where the card wrote 0x55: the status said the data was good."):format(DONE, bug:cpu_byte(BUF + LEN - 1)),
          ru = ("Движок сообщает DC009 flush-status-ignored в событии %d (IoCompleteRequest). Вызывающая сторона прочитала 0x%02x по адресу 0x8000ff, где карта записала 0x55, хотя состояние говорило, что данные верны."):format(DONE, bug:cpu_byte(BUF + LEN - 1)),
          zh = ("引擎在事件 %d（IoCompleteRequest）报告 DC009 flush-status-ignored。调用方在 0x8000ff 读到 0x%02x，而网卡写入的是 0x55：状态却表示数据是好的。"):format(DONE, bug:cpu_byte(BUF + LEN - 1)),
        }
      end },
    { predict = {
        en = "What should the driver do after FlushAdapterBuffers returned FALSE?",
        ru = "Что должен сделать драйвер после того, как FlushAdapterBuffers вернул FALSE?",
        zh = "FlushAdapterBuffers 返回 FALSE 之后，驱动程序应该怎么做？",
      },
      choices = {
        { en = "complete the IRP with STATUS_SUCCESS: the bytes arrive later",
          ru = "завершить IRP с STATUS_SUCCESS: байты придут позже",
          zh = "以 STATUS_SUCCESS 完成 IRP：字节稍后会到达" },
        { en = "call KeFlushIoBuffers, then complete with STATUS_SUCCESS",
          ru = "вызвать KeFlushIoBuffers, затем завершить с STATUS_SUCCESS",
          zh = "调用 KeFlushIoBuffers，然后以 STATUS_SUCCESS 完成" },
        { en = "retry the flush; if it fails again, complete the IRP with an error status",
          ru = "повторить очистку; если она снова не удастся, завершить IRP с кодом ошибки",
          zh = "重试刷新；如果再次失败，以错误状态完成 IRP" },
        { en = "free the map registers once more", ru = "ещё раз освободить регистры отображения",
          zh = "再释放一次映射寄存器" },
      },
      answer = 3,
      verify = function()
        local right = {}
        for k = 1, 4 do
          if #choice_errors(k) == 0 then right[#right + 1] = k end
        end
        return right
      end,
      explain = {
        en = "Retry, or report the failure. A successful retry drains the posted bytes, so success is then true; if the flush keeps failing, an error status (such as STATUS_DEVICE_DATA_ERROR) tells the caller not to trust the buffer. KeFlushIoBuffers maintains the cache, not the adapter.",
        ru = "Повторить или сообщить о сбое. Удачный повтор сбрасывает отложенные байты, и тогда сообщение об успехе верно; если очистка не удаётся снова, код ошибки (например, STATUS_DEVICE_DATA_ERROR) говорит вызывающей стороне не доверять буферу. KeFlushIoBuffers обслуживает кэш, а не адаптер.",
        zh = "重试，或者报告失败。重试成功会写出延迟的字节，此时报告成功才是真实的；如果刷新一直失败，错误状态（例如 STATUS_DEVICE_DATA_ERROR）告诉调用方不要信任缓冲区。KeFlushIoBuffers 维护的是缓存，而不是适配器。",
    } },
    { run = function()
        fixed, FIRST_FLUSH = transfer()
        flush(fixed, true)
        return complete(fixed, "STATUS_SUCCESS")
      end,
      say = {
        en = "The fixed driver checks the result: after FALSE it calls FlushAdapterBuffers again, which returns TRUE, and only then completes the IRP with STATUS_SUCCESS.",
        ru = "Исправленный драйвер проверяет результат: после FALSE он снова вызывает FlushAdapterBuffers, получает TRUE и только тогда завершает IRP с STATUS_SUCCESS.",
        zh = "修正后的驱动程序检查返回值：得到 FALSE 后再次调用 FlushAdapterBuffers，返回 TRUE，然后才以 STATUS_SUCCESS 完成 IRP。",
    } },
    { expect = {} },
    { predict = {
        en = "Leave out the first, failed FlushAdapterBuffers of the fixed driver. What does the engine report?",
        ru = "Уберите из исправленного драйвера первый, неудачный вызов FlushAdapterBuffers. Что сообщит движок?",
        zh = "从修正后的驱动程序中去掉第一次失败的 FlushAdapterBuffers。引擎报告什么？",
      },
      choices = {
        { en = "nothing", ru = "ничего", zh = "没有错误" },
        "DC009 flush-status-ignored",
        "DC004 residual-in-adapter",
      },
      answer = 1,
      verify = function()
        for _, r in ipairs(fixed:omissions()) do
          if r.at == FIRST_FLUSH then
            return #r.added == 0 and 1 or has(r.added, "DC009") and 2 or 3
          end
        end
      end,
      explain = {
        en = "Nothing: a failed flush moved nothing, so leaving it out changes no byte, and the successful retry is still the transfer's last flush. Leave out the retry instead and the last flush is the failed one: DC009.",
        ru = "Ничего: неудачная очистка ничего не переместила, её отсутствие не меняет ни одного байта, а удачный повтор остаётся последней очисткой передачи. Уберите вместо неё повтор — и последней станет неудачная: DC009.",
        zh = "没有错误：失败的刷新没有移动任何数据，去掉它不会改变任何字节，成功的重试仍是该传输的最后一次刷新。若改为去掉重试，最后一次刷新就是失败的那次：DC009。",
    } },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC001", "DC003"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", at = 5, gives = {} },
        { call = "FlushAdapterBuffers", at = 6, gives = {"DC009"} },
      },
      say = {
        en = "The rows: the failed flush can go; the retry cannot (DC009). Without KeFlushIoBuffers the dirty 0xaa lines sit over the card's data (DC003) and are read (DC001); without MapTransfer the card writes where nothing is mapped (DC011).",
        ru = "Строки: неудачную очистку можно убрать, повтор — нельзя (DC009). Без KeFlushIoBuffers изменённые строки 0xaa лежат в кэше поверх данных карты (DC003) и читаются (DC001); без MapTransfer карта пишет туда, где ничего не отображено (DC011).",
        zh = "各行显示：失败的刷新可以去掉，重试则不行（DC009）。没有 KeFlushIoBuffers，0xaa 的脏缓存行盖在网卡数据之上（DC003）并被读到（DC001）；没有 MapTransfer，网卡写入的是未映射的地址（DC011）。",
    } },
    { run = function()
        failed = transfer()
        flush(failed, false)
        return complete(failed, "STATUS_DEVICE_DATA_ERROR")
      end,
      say = {
        en = "When the retry fails too, the driver completes the IRP with STATUS_DEVICE_DATA_ERROR, and the caller does not use the buffer.",
        ru = "Если и повтор не удался, драйвер завершает IRP с STATUS_DEVICE_DATA_ERROR, и вызывающая сторона не использует буфер.",
        zh = "如果重试也失败，驱动程序以 STATUS_DEVICE_DATA_ERROR 完成 IRP，调用方不使用该缓冲区。",
    } },
    { expect = {} },
    { predict = {
        en = "Completing with STATUS_SUCCESS after FALSE: on which platforms does the engine report it?",
        ru = "Завершение с STATUS_SUCCESS после FALSE: на каких платформах движок сообщает об ошибке?",
        zh = "返回 FALSE 后仍以 STATUS_SUCCESS 完成：引擎在哪些平台上报告错误？",
      },
      choices = PLATFORMS,
      answer = {1, 2, 3, 4},
      verify = function() return bug:breaks_on(PLATFORMS, "DC009") end,
      explain = {
        en = "All of them. DC009 judges the status, not the cache: even where nothing was held back, a flush that reported failure means the driver cannot vouch for the data, so its I/O status block must not say success.",
        ru = "На всех. DC009 оценивает код состояния, а не кэш: даже там, где ничего не задержалось, неудачная очистка означает, что драйвер не может ручаться за данные, и его блок состояния ввода-вывода не должен сообщать об успехе.",
        zh = "全部。DC009 判断的是状态，而不是缓存：即使没有任何字节被扣留，刷新报告失败就意味着驱动程序无法保证数据，因此它的 I/O 状态块不能报告成功。",
    } },
  },
}
