#pragma once

// Web server access lines — the Common and Combined Log Formats that nginx (`log_format
// combined`, its default) and Apache (`%h %l %u %t \"%r\" %>s %b` and "combined") write:
//
//   203.0.113.7 - alice [01/Oct/2025:12:00:00 +0200] "GET /api/orders HTTP/1.1" 200 512 "-" "curl/8.5"
//   2001:db8::7 - - [01/Oct/2025:12:00:00 -0700] "POST /login HTTP/2.0" 503 -
//
// Recognised by hand, not with a regular expression: every line of a file that is not ISO or
// syslog stamped comes through here, and most are rejected within a few bytes.

#include "logtime.h"
#include "logtypes.h"

#include <string_view>

namespace opsdeck::logs {

struct AccessLine
{
    ParsedTime time; // from %t; always with its offset
    int status = 0;  // %>s; 0 when the line has no request/status after the stamp
};

// True when `line` is "host ident user [dd/Mon/yyyy:HH:MM:SS ±hhmm] …". The host may be an IPv4
// or IPv6 address or a name; ident and user may be "-". Apache does not escape spaces in %u, so
// the user is everything up to the first " [" (which also lets a leading "%v:%p" vhost through).
bool parseAccessLine(std::string_view line, AccessLine &out);

// 5xx → error, 4xx → warn, any other status → info; 0 (no status) → Unknown: the words of a
// request line ("GET /error") say nothing about how it went.
LogLevel levelFromHttpStatus(int status);

} // namespace opsdeck::logs
