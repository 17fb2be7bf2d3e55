-- Lesson 3: the write-back that overwrites the device's data.  Source:
-- "Flushing Cached Data during DMA Operations" (Windows, DMA interface
-- versions 1 and 2), the read case: "the data transferred into system memory
-- by a DMA operation could be overwritten with stale data if the processor
-- cache is flushed later".
local BUF, LEN = 0x400000, 256
local plat = dma.platform("nt-busmaster")
plat:device("disk")

local SEG = {BUF, false, LEN}

-- the driver fills its buffer with 0xcc, so that a short transfer shows
local function prepare(s, flush)
  s:cpu_write{addr = BUF, len = LEN, data = string.rep("cc", LEN)}
  if flush then
    s:KeFlushIoBuffers{dev = "disk", seg = SEG, ReadOperation = true, DmaOperation = true}
  end
  s:MapTransfer{dev = "disk", seg = SEG, len = LEN, handle = 0x10, irp = 1, WriteToDevice = false}
  s:dev_write{dev = "disk", addr = BUF, len = LEN, data = string.rep("55", LEN)}
end

-- the end of the transfer, then unrelated traffic evicts the buffer's lines
local function finish(s)
  s:FlushAdapterBuffers{dev = "disk", seg = SEG, len = LEN, handle = 0x10, irp = 1,
                        WriteToDevice = false}
  s:FreeMapRegisters{dev = "disk", handle = 0x10}
  s:IoCompleteRequest{irp = 1, status = "STATUS_SUCCESS"}
  s:evict{addr = BUF, len = LEN}
  s:cpu_read{addr = BUF, len = LEN}
end

local function scenario(flush)
  local s = dma.sim(plat)
  prepare(s, flush)
  finish(s)
  return s
end

local bug, fixed

return {
  id = "kef-writeback",
  order = 3,
  languages = {"en", "ru", "zh"},
  requires = {"kef-read"},
  title = {
    en = "The write-back that overwrites the device's data",
    ru = "Обратная запись кэша, затирающая данные устройства",
    zh = "覆盖设备数据的缓存写回",
  },
  teaches = {
    en = "A dirty cache line over a buffer the device fills by DMA is written back later, over the device's data, unless KeFlushIoBuffers(ReadOperation=TRUE) ran before the transfer.",
    ru = "Изменённая строка кэша над буфером, который устройство заполняет через DMA, позже записывается обратно поверх данных устройства, если перед передачей не был вызван KeFlushIoBuffers (ReadOperation=TRUE).",
    zh = "设备通过 DMA 填充的缓冲区若在处理器缓存中有脏缓存行，该行稍后会被写回并覆盖设备的数据，除非在传输之前调用了 KeFlushIoBuffers (ReadOperation=TRUE)。",
  },
  steps = {
    { narrate = {
        en = "In lesson 2 the CPU only read the buffer: its cached copy was clean, and reading it was the whole harm. Now the driver writes the buffer before the transfer, so the CPU cache holds dirty lines, newer than memory as far as the cache knows.",
        ru = "В уроке 2 процессор только читал буфер: копия в кэше была чистой, и вред ограничивался её чтением. Теперь драйвер пишет в буфер перед передачей, и в кэше процессора лежат изменённые строки, которые кэш считает новее памяти.",
        zh = "在第 2 课中处理器只读取了缓冲区：缓存中的副本是干净的，危害仅在于读到它。现在驱动程序在传输之前写入缓冲区，处理器缓存中于是有了脏缓存行，在缓存看来它们比内存更新。",
    } },
    { run = function()
        bug = dma.sim(plat)
        prepare(bug)
        return bug
      end,
      say = {
        en = "A disk driver fills its read buffer with 0xcc (to spot a short transfer), maps it with MapTransfer (WriteToDevice=FALSE), and the disk writes 0x55 bytes into memory. No KeFlushIoBuffers.",
        ru = "Драйвер диска заполняет буфер чтения байтами 0xcc (чтобы заметить неполную передачу), отображает его через MapTransfer (WriteToDevice=FALSE), и диск записывает в память байты 0x55. KeFlushIoBuffers не вызван.",
        zh = "磁盘驱动程序用 0xcc 填充读缓冲区（以便发现不完整的传输），用 MapTransfer（WriteToDevice=FALSE）映射它，磁盘将 0x55 字节写入内存。没有调用 KeFlushIoBuffers。",
    } },
    { predict = {
        en = "Which byte does memory hold at the start of the buffer right after the disk's write?",
        ru = "Какой байт лежит в памяти в начале буфера сразу после записи диска?",
        zh = "磁盘写入之后，内存中缓冲区开头是哪个字节？",
      },
      answer = 0x55,
      verify = function() return bug:mem_byte(BUF) end,
      explain = {
        en = "0x55: the DMA write went to memory. But the CPU cache still holds the buffer's lines, dirty, with 0xcc: the cache does not know the device wrote memory behind it.",
        ru = "0x55: запись DMA попала в память. Но в кэше процессора остались изменённые строки буфера с байтами 0xcc: кэш не знает, что устройство записало данные в память в обход него.",
        zh = "0x55：DMA 写入进入了内存。但处理器缓存中仍保留着缓冲区的脏缓存行，内容是 0xcc：缓存并不知道设备绕过它写入了内存。",
    } },
    { run = function() finish(bug) end,
      say = {
        en = "The driver calls FlushAdapterBuffers, frees the map registers and completes the IRP. Later, unrelated traffic evicts the buffer's lines; then the buffer is read.",
        ru = "Драйвер вызывает FlushAdapterBuffers, освобождает регистры отображения и завершает IRP. Позже посторонняя нагрузка вытесняет строки буфера из кэша; затем буфер читают.",
        zh = "驱动程序调用 FlushAdapterBuffers，释放映射寄存器并完成 IRP。之后，无关的访问把缓冲区的缓存行逐出缓存；然后读取缓冲区。",
    } },
    { predict = {
        en = "Which byte does memory hold at the start of the buffer now?",
        ru = "Какой байт теперь лежит в памяти в начале буфера?",
        zh = "现在内存中缓冲区开头是哪个字节？",
      },
      answer = 0xcc,
      verify = function() return bug:mem_byte(BUF) end,
      explain = {
        en = "0xcc: the eviction wrote the dirty line back over the disk's data. The data transferred into memory by DMA was overwritten with stale data when the processor cache was flushed later. The 0x55 bytes are gone for good.",
        ru = "0xcc: при вытеснении изменённая строка записалась поверх данных диска. Данные, переданные в память операцией DMA, перезаписаны устаревшими данными, когда кэш процессора был сброшен позже. Байтов 0x55 больше нет нигде.",
        zh = "0xcc：逐出时脏缓存行被写回，覆盖了磁盘的数据。DMA 操作传输到系统内存中的数据在稍后刷新处理器缓存时被陈旧数据覆盖。0x55 字节已彻底丢失。",
    } },
    { expect = {"DC003", "DC001"} },
    { narrate = {
        en = "DC003, writeback-clobber, fires at the disk's write, not at the eviction: once a dirty copy sits over bytes the device writes, their loss is only a matter of time. The read that follows is its consequence, DC001.",
        ru = "DC003, writeback-clobber, срабатывает при записи диска, а не при вытеснении: если над байтами, которые пишет устройство, лежит изменённая копия, их потеря — лишь вопрос времени. Последующее чтение — её следствие, DC001.",
        zh = "DC003（writeback-clobber）在磁盘写入时触发，而不是在逐出时：只要设备写入的字节上方有脏副本，这些数据迟早会丢失。随后的读取是其后果，即 DC001。",
    } },
    { predict = {
        en = "Suppose the driver calls KeFlushIoBuffers(ReadOperation=TRUE) after the disk's write, just before FlushAdapterBuffers. What happens?",
        ru = "Допустим, драйвер вызывает KeFlushIoBuffers (ReadOperation=TRUE) после записи диска, перед FlushAdapterBuffers. Что произойдёт?",
        zh = "假设驱动程序在磁盘写入之后、FlushAdapterBuffers 之前调用 KeFlushIoBuffers (ReadOperation=TRUE)。会发生什么？",
      },
      choices = {
        { en = "It drops the stale line: the 0x55 bytes are safe",
          ru = "Он удаляет устаревшую строку: байты 0x55 сохранены",
          zh = "它丢弃陈旧的缓存行：0x55 字节安全" },
        { en = "It writes the dirty 0xcc line back over the 0x55 bytes itself",
          ru = "Он сам записывает изменённую строку 0xcc поверх байтов 0x55",
          zh = "它自己把 0xcc 脏缓存行写回，覆盖 0x55 字节" },
        { en = "Nothing: FlushAdapterBuffers already handles the cache",
          ru = "Ничего: кэш обслуживает FlushAdapterBuffers",
          zh = "没有影响：FlushAdapterBuffers 已经处理缓存" },
      },
      answer = 2,
      verify = function()                  -- memory right after the late flush
        local late = dma.sim(plat)
        prepare(late)
        late:KeFlushIoBuffers{dev = "disk", seg = SEG, ReadOperation = true, DmaOperation = true}
        return late:mem_byte(BUF) == 0xcc and 2 or 1
      end,
      explain = {
        en = "The flush writes dirty lines back before dropping them: too late, it is the write-back itself. That is why KeFlushIoBuffers is called just before the transfer, after the CPU's last write to the buffer.",
        ru = "Очистка сначала записывает изменённые строки в память, а уже потом удаляет их: после передачи она сама и есть обратная запись. Поэтому KeFlushIoBuffers вызывают непосредственно перед передачей, после последней записи процессора в буфер.",
        zh = "刷新会先写回脏缓存行再丢弃它们：传输之后调用时，它本身就是那次写回。因此必须在传输之前、处理器最后一次写入缓冲区之后立即调用 KeFlushIoBuffers。",
    } },
    { run = function() fixed = scenario(true) return fixed end,
      say = {
        en = "The same driver, with KeFlushIoBuffers(ReadOperation=TRUE, DmaOperation=TRUE) between its last write and MapTransfer: the 0xcc lines go to memory and leave the cache before the disk writes.",
        ru = "Тот же драйвер с KeFlushIoBuffers (ReadOperation=TRUE, DmaOperation=TRUE) между последней записью и MapTransfer: строки 0xcc записываются в память и удаляются из кэша до записи диска.",
        zh = "同一个驱动程序，在最后一次写入与 MapTransfer 之间调用 KeFlushIoBuffers（ReadOperation=TRUE，DmaOperation=TRUE）：0xcc 缓存行在磁盘写入之前写回内存并离开缓存。",
    } },
    { narrate = function()
        return {
          en = ("After the eviction memory holds 0x%02x and the CPU reads 0x%02x: nothing dirty was left to write back."):format(fixed:mem_byte(BUF), fixed:cpu_byte(BUF)),
          ru = ("После вытеснения в памяти 0x%02x, процессор читает 0x%02x: изменённых строк для обратной записи не осталось."):format(fixed:mem_byte(BUF), fixed:cpu_byte(BUF)),
          zh = ("逐出之后内存中是 0x%02x，处理器读到 0x%02x：已没有可写回的脏缓存行。"):format(fixed:mem_byte(BUF), fixed:cpu_byte(BUF)),
        }
      end },
    { expect = {} },
    { omissions = {
        { call = "KeFlushIoBuffers", gives = {"DC001", "DC003"} },
        { call = "MapTransfer", gives = {"DC011"} },
        { call = "FlushAdapterBuffers", gives = {"DC001", "DC004"} },
      },
      say = {
        en = "Without KeFlushIoBuffers the dirty line clobbers the data (DC003) and the read is stale (DC001). Without MapTransfer the disk writes where nothing is mapped (DC011). Without FlushAdapterBuffers the last bytes stay posted in the adapter (DC004).",
        ru = "Без KeFlushIoBuffers изменённая строка затирает данные (DC003), и чтение устаревшее (DC001). Без MapTransfer диск пишет туда, где ничего не отображено (DC011). Без FlushAdapterBuffers последние байты остаются в адаптере (DC004).",
        zh = "没有 KeFlushIoBuffers，脏缓存行覆盖数据（DC003），读取是陈旧的（DC001）。没有 MapTransfer，磁盘写入未映射的地址（DC011）。没有 FlushAdapterBuffers，最后的字节滞留在适配器中（DC004）。",
    } },
  },
}
