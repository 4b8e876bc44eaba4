#include "logfilter.h"

#include <QStringDecoder>

namespace opsdeck::logs {

namespace {
inline unsigned char asciiLower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
} // namespace

void LogFilter::setSources(const QStringList &sources)
{
    m_sources = QSet<QString>(sources.begin(), sources.end());
    m_sources.remove(QString());
    m_sourceCache.clear();
}

void LogFilter::setStreams(const QStringList &streams)
{
    m_streams = QSet<QString>(streams.begin(), streams.end());
    m_streams.remove(QString());
    // Seed 001's stream filter value "all" means no stream filter.
    if (m_streams.contains(QStringLiteral("all")))
        m_streams.clear();
    m_streamCache.clear();
}

QString LogFilter::setText(const QString &text, bool regex)
{
    m_text = text;
    m_regex = regex;
    m_textActive = false;
    m_expression = QRegularExpression();
    m_needleLower.clear();
    if (text.isEmpty())
        return QString();
    if (regex) {
        m_expression = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
        if (!m_expression.isValid())
            return m_expression.errorString() + QStringLiteral(" at offset ")
                   + QString::number(m_expression.patternErrorOffset());
        m_expression.optimize();
        m_textActive = true;
        return QString();
    }
    m_textActive = true;
    m_asciiNeedle = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
    if (m_asciiNeedle) {
        // Case-insensitive Horspool over the UTF-8 bytes: correct for ASCII needles because every
        // byte of a multi-byte UTF-8 sequence is >= 0x80 and can never equal an ASCII byte.
        const QByteArray latin = text.toLatin1();
        m_needleLower.reserve(std::size_t(latin.size()));
        for (char c : latin)
            m_needleLower.push_back(char(asciiLower(static_cast<unsigned char>(c))));
        const auto n = uint32_t(m_needleLower.size());
        m_skip.fill(n);
        for (uint32_t i = 0; i + 1 < n; ++i) {
            const auto c = static_cast<unsigned char>(m_needleLower[i]);
            m_skip[c] = n - 1 - i;
            if (c >= 'a' && c <= 'z')
                m_skip[c - 32] = n - 1 - i;
        }
    }
    return QString();
}

bool LogFilter::hasFieldCriteria() const
{
    return (m_levelMask & kAllLevels) != kAllLevels || !m_sources.isEmpty() || !m_streams.isEmpty();
}

bool LogFilter::idAllowed(const StringTable &table, uint16_t id, const QSet<QString> &allowed,
                          std::vector<int8_t> &cache) const
{
    if (allowed.isEmpty() || id == StringTable::kEmpty)
        return true;
    if (id >= cache.size())
        cache.resize(std::size_t(table.size()), -1);
    int8_t &known = cache[id];
    if (known < 0)
        known = allowed.contains(table.string(id)) ? 1 : 0;
    return known == 1;
}

bool LogFilter::matchesFields(const LogStore &store, const LogRecord &record) const
{
    if (!(m_levelMask & (1u << unsigned(record.level))))
        return false;
    return idAllowed(store.sources(), record.sourceId, m_sources, m_sourceCache)
           && idAllowed(store.streams(), record.streamId, m_streams, m_streamCache);
}

bool LogFilter::asciiContains(std::string_view hay) const
{
    const std::size_t n = m_needleLower.size();
    if (n > hay.size())
        return false;
    const auto *h = reinterpret_cast<const unsigned char *>(hay.data());
    const auto *needle = reinterpret_cast<const unsigned char *>(m_needleLower.data());
    const unsigned char last = needle[n - 1];
    std::size_t i = 0;
    const std::size_t end = hay.size() - n;
    while (i <= end) {
        const unsigned char c = h[i + n - 1];
        if (asciiLower(c) == last) {
            std::size_t j = 0;
            while (j + 1 < n && asciiLower(h[i + j]) == needle[j])
                ++j;
            if (j + 1 >= n)
                return true;
        }
        i += m_skip[c];
    }
    return false;
}

QStringView LogFilter::decode(std::string_view utf8) const
{
    // UTF-16 never needs more code units than UTF-8 has bytes.
    if (m_scratch.size() < qsizetype(utf8.size()))
        m_scratch.resize(qsizetype(utf8.size()));
    QStringDecoder decoder(QStringDecoder::Utf8);
    QChar *begin = m_scratch.data();
    QChar *end = decoder.appendToBuffer(begin, QByteArrayView(utf8.data(), qsizetype(utf8.size())));
    return QStringView(begin, end - begin);
}

bool LogFilter::matchesText(std::string_view message) const
{
    if (!m_textActive)
        return true;
    if (m_regex)
        return m_expression.match(decode(message)).hasMatch();
    if (m_asciiNeedle)
        return asciiContains(message);
    return decode(message).contains(m_text, Qt::CaseInsensitive);
}

QList<QPair<int, int>> LogFilter::matchRanges(QStringView message, int limit) const
{
    QList<QPair<int, int>> ranges;
    if (!m_textActive)
        return ranges;
    if (m_regex) {
        auto it = m_expression.globalMatch(message);
        while (it.hasNext() && ranges.size() < limit) {
            const auto match = it.next();
            if (match.capturedLength() > 0)
                ranges.append({int(match.capturedStart()), int(match.capturedLength())});
        }
        return ranges;
    }
    qsizetype from = 0;
    while (ranges.size() < limit) {
        const qsizetype at = message.indexOf(m_text, from, Qt::CaseInsensitive);
        if (at < 0)
            break;
        ranges.append({int(at), int(m_text.size())});
        from = at + m_text.size();
    }
    return ranges;
}

} // namespace opsdeck::logs
