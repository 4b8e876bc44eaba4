#include "logtime.h"

#include <QDateTime>

namespace opsdeck::logs {

namespace {
inline bool digit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads exactly n digits at text[pos]; -1 when they are not all digits.
int readInt(std::string_view text, std::size_t pos, std::size_t n)
{
    if (pos + n > text.size())
        return -1;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[pos + i];
        if (!digit(c))
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

struct Civil
{
    int year;
    unsigned month, day;
};

Civil civilFromDays(int64_t z)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = int64_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {int(y + (m <= 2)), m, d};
}

// "Jan" … "Dec" → 1 … 12; 0 for anything else.
int monthFromAbbreviation(std::string_view name)
{
    static constexpr std::string_view months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (name == months[i])
            return i + 1;
    }
    return 0;
}

int64_t floorDiv(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void appendPadded(QString &out, int64_t value, int width)
{
    char buffer[24];
    int n = 0;
    const bool negative = value < 0;
    uint64_t v = negative ? uint64_t(-value) : uint64_t(value);
    do {
        buffer[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        buffer[n++] = '0';
    if (negative)
        out += QLatin1Char('-');
    while (n)
        out += QLatin1Char(buffer[--n]);
}

QString formatWall(int64_t wallMs, QChar separator)
{
    const int64_t days = floorDiv(wallMs, 86400000);
    const int64_t inDay = wallMs - days * 86400000;
    const Civil c = civilFromDays(days);
    QString out;
    out.reserve(30);
    appendPadded(out, c.year, 4);
    out += QLatin1Char('-');
    appendPadded(out, c.month, 2);
    out += QLatin1Char('-');
    appendPadded(out, c.day, 2);
    out += separator;
    appendPadded(out, inDay / 3600000, 2);
    out += QLatin1Char(':');
    appendPadded(out, (inDay / 60000) % 60, 2);
    out += QLatin1Char(':');
    appendPadded(out, (inDay / 1000) % 60, 2);
    out += QLatin1Char('.');
    appendPadded(out, inDay % 1000, 3);
    return out;
}

int localOffsetForUtc(int64_t msUtc)
{
    // Offsets change at most on hour boundaries in practice; one cached hour serves a whole
    // screen of rows.
    thread_local int64_t cachedHour = INT64_MIN;
    thread_local int cachedOffset = 0;
    const int64_t hour = floorDiv(msUtc, 3600000);
    if (hour != cachedHour) {
        cachedHour = hour;
        cachedOffset = QDateTime::fromMSecsSinceEpoch(hour * 3600000, Qt::LocalTime).offsetFromUtc();
    }
    return cachedOffset;
}
} // namespace

int64_t daysFromCivil(int year, unsigned month, unsigned day)
{
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yoe = unsigned(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

int localOffsetSecondsForLocal(int64_t localMs)
{
    thread_local int64_t cachedHour = INT64_MIN;
    thread_local int cachedOffset = 0;
    const int64_t hour = floorDiv(localMs, 3600000);
    if (hour != cachedHour) {
        cachedHour = hour;
        const int64_t days = floorDiv(localMs, 86400000);
        const Civil c = civilFromDays(days);
        const int h = int((hour * 3600000 - days * 86400000) / 3600000);
        const QDateTime local(QDate(c.year, int(c.month), int(c.day)), QTime(h, 0), Qt::LocalTime);
        cachedOffset = local.isValid() ? local.offsetFromUtc() : 0;
    }
    return cachedOffset;
}

namespace {
// YYYY<sep>MM<sep>DD[T ]HH:MM:SS[.fff][Z|±hh[:]mm]; the slash form (nginx) only with a space.
ParsedTime parseDateTime(std::string_view t, char sep)
{
    ParsedTime result;
    const int year = readInt(t, 0, 4);
    if (year < 0 || t.size() < 19 || t[4] != sep || t[7] != sep || (t[10] != 'T' && t[10] != ' ')
        || (sep == '/' && t[10] != ' ') || t[13] != ':' || t[16] != ':')
        return result;
    const int month = readInt(t, 5, 2), day = readInt(t, 8, 2);
    const int hour = readInt(t, 11, 2), minute = readInt(t, 14, 2), second = readInt(t, 17, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 60)
        return result;
    std::size_t pos = 19;
    int ms = 0;
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',') && pos + 1 < t.size() && digit(t[pos + 1])) {
        ++pos;
        int scale = 100;
        while (pos < t.size() && digit(t[pos])) {
            ms += (t[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
    }
    const int64_t wall = daysFromCivil(year, unsigned(month), unsigned(day)) * 86400000 + int64_t(hour) * 3600000
                         + int64_t(minute) * 60000 + int64_t(second) * 1000 + ms;
    if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
        result.hasOffset = true;
        ++pos;
    } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
        const int sign = t[pos] == '-' ? -1 : 1;
        const int oh = readInt(t, pos + 1, 2);
        int om = -1;
        std::size_t end = pos + 3;
        if (oh >= 0 && end < t.size() && t[end] == ':') {
            om = readInt(t, end + 1, 2);
            end += 3;
        } else if (oh >= 0) {
            om = readInt(t, end, 2);
            end = om >= 0 ? end + 2 : end;
            if (om < 0)
                om = 0; // "+02" alone
        }
        if (oh < 0 || oh > 18 || om > 59)
            return result;
        result.hasOffset = true;
        result.offsetMin = int16_t(sign * (oh * 60 + om));
        pos = end;
    }
    if (result.hasOffset) {
        result.msUtc = wall - int64_t(result.offsetMin) * 60000;
    } else {
        result.msUtc = wall - int64_t(localOffsetSecondsForLocal(wall)) * 1000;
    }
    result.length = pos;
    return result;
}
} // namespace

ParsedTime parseIsoTimestamp(std::string_view text)
{
    return parseDateTime(text, '-');
}

ParsedTime parseSlashTimestamp(std::string_view text)
{
    return parseDateTime(text, '/');
}

ParsedTime parseClfTimestamp(std::string_view t)
{
    ParsedTime result;
    // "01/Oct/2025:12:00:00 +0200" — fixed width; the offset is always written.
    if (t.size() < 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[14] != ':' || t[17] != ':')
        return result;
    const int month = monthFromAbbreviation(t.substr(3, 3));
    const int day = readInt(t, 0, 2), year = readInt(t, 7, 4);
    const int hour = readInt(t, 12, 2), minute = readInt(t, 15, 2), second = readInt(t, 18, 2);
    if (month == 0 || year < 0 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 60)
        return result;
    std::size_t pos = 20;
    int ms = 0;
    if (t[pos] == '.' && pos + 1 < t.size() && digit(t[pos + 1])) { // Apache's %{msec_frac}t variants
        ++pos;
        int scale = 100;
        while (pos < t.size() && digit(t[pos])) {
            ms += (t[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
    }
    if (pos + 6 > t.size() || t[pos] != ' ' || (t[pos + 1] != '+' && t[pos + 1] != '-'))
        return result;
    const int oh = readInt(t, pos + 2, 2), om = readInt(t, pos + 4, 2);
    if (oh < 0 || oh > 18 || om < 0 || om > 59)
        return result;
    const int offset = (t[pos + 1] == '-' ? -1 : 1) * (oh * 60 + om);
    const int64_t wall = daysFromCivil(year, unsigned(month), unsigned(day)) * 86400000 + int64_t(hour) * 3600000
                         + int64_t(minute) * 60000 + int64_t(second) * 1000 + ms;
    result.msUtc = wall - int64_t(offset) * 60000;
    result.offsetMin = int16_t(offset);
    result.hasOffset = true;
    result.length = pos + 6;
    return result;
}

ParsedTime parseSyslogTimestamp(std::string_view t)
{
    ParsedTime result;
    // "Nov 21 12:00:01" and "Nov  1 12:00:01"
    if (t.size() < 15 || t[3] != ' ' || t[9] != ':' || t[12] != ':')
        return result;
    const int month = monthFromAbbreviation(t.substr(0, 3));
    if (month == 0)
        return result;
    const int day = t[4] == ' ' ? readInt(t, 5, 1) : readInt(t, 4, 2);
    const int hour = readInt(t, 7, 2), minute = readInt(t, 10, 2), second = readInt(t, 13, 2);
    if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
        return result;
    thread_local int64_t cachedNowHour = INT64_MIN;
    thread_local int currentYear = 1970;
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    if (now / 3600000 != cachedNowHour) {
        cachedNowHour = now / 3600000;
        currentYear = QDate::currentDate().year();
    }
    auto wallFor = [&](int year) {
        return daysFromCivil(year, unsigned(month), unsigned(day)) * 86400000 + int64_t(hour) * 3600000
               + int64_t(minute) * 60000 + int64_t(second) * 1000;
    };
    int64_t wall = wallFor(currentYear);
    int64_t utc = wall - int64_t(localOffsetSecondsForLocal(wall)) * 1000;
    if (utc > now + 86400000) {
        wall = wallFor(currentYear - 1);
        utc = wall - int64_t(localOffsetSecondsForLocal(wall)) * 1000;
    }
    result.msUtc = utc;
    result.length = 15;
    return result;
}

QString formatIso(int64_t msUtc, int16_t offsetMin, bool keepOffset)
{
    if (!keepOffset || offsetMin == 0)
        return formatWall(msUtc, QLatin1Char('T')) + QLatin1Char('Z');
    QString out = formatWall(msUtc + int64_t(offsetMin) * 60000, QLatin1Char('T'));
    const int abs = offsetMin < 0 ? -offsetMin : offsetMin;
    out += QLatin1Char(offsetMin < 0 ? '-' : '+');
    appendPadded(out, abs / 60, 2);
    out += QLatin1Char(':');
    appendPadded(out, abs % 60, 2);
    return out;
}

QString formatDisplay(int64_t msUtc, bool utc)
{
    if (utc)
        return formatWall(msUtc, QLatin1Char(' '));
    return formatWall(msUtc + int64_t(localOffsetForUtc(msUtc)) * 1000, QLatin1Char(' '));
}

} // namespace opsdeck::logs
