// core/time_lock: one process-wide lock for the library calls that go
// through the C library's shared time buffer (gmtime()/localtime() return a
// pointer to one static struct tm). libxlsxwriter formats a workbook's dates
// with gmtime() in workbook_close(), and PoDoFo stamps a new document and
// writes it with the current local time. On two batch workers at once, one
// could overwrite the other's date halfway: a workbook "created" on a mix of
// its document's date and today's. Hold the lock around those calls only.
#pragma once

#include <mutex>

namespace vanban {

std::mutex& libc_time_lock();

}  // namespace vanban
