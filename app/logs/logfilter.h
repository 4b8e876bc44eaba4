#pragma once

// The client-side mirror of the hub's EntryFilter (hub/protocol/entryfilter.h): levels, sources,
// streams and a case-insensitive substring or regular expression over the message. As on the hub,
// a field an entry does not have (no level, no source, no stream) never excludes it.
//
// Matching works on the store's compact records and UTF-8 messages directly so re-filtering a
// million entries does not allocate a QString per entry.

#include "logstore.h"

#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace opsdeck::logs {

class LogFilter
{
public:
    // Bit (1 << int(level)) set = shown. Unknown is always shown (see above).
    static constexpr uint8_t kAllLevels = 0x7F;

    void setLevelMask(uint8_t mask) { m_levelMask = mask | 0x1; }
    uint8_t levelMask() const { return m_levelMask; }
    void setSources(const QStringList &sources);
    void setStreams(const QStringList &streams);
    // Returns an error text for an invalid regular expression (the text criterion is then
    // inactive, so the view shows everything the other criteria allow instead of nothing).
    QString setText(const QString &text, bool regex);

    bool hasText() const { return m_textActive; }
    bool hasFieldCriteria() const;
    bool isEmpty() const { return !hasText() && !hasFieldCriteria(); }

    // Levels, sources and streams only.
    bool matchesFields(const LogStore &store, const LogRecord &record) const;
    // The text criterion alone; true when there is none.
    bool matchesText(std::string_view messageUtf8) const;
    bool matches(const LogStore &store, const LogRecord &record, std::string_view messageUtf8) const
    {
        return matchesFields(store, record) && matchesText(messageUtf8);
    }

    // (start, length) in UTF-16 units of every match of the text criterion in `message`,
    // at most `limit` of them; for highlighting.
    QList<QPair<int, int>> matchRanges(QStringView message, int limit = 256) const;

private:
    bool idAllowed(const StringTable &table, uint16_t id, const QSet<QString> &allowed,
                   std::vector<int8_t> &cache) const;
    bool asciiContains(std::string_view haystack) const;
    QStringView decode(std::string_view utf8) const;

    uint8_t m_levelMask = kAllLevels;
    QSet<QString> m_sources;
    QSet<QString> m_streams;
    // Per interned id: -1 unknown yet, 0 excluded, 1 allowed. Ids only grow, so the caches
    // extend lazily as new sources appear; they reset when the sets change.
    mutable std::vector<int8_t> m_sourceCache;
    mutable std::vector<int8_t> m_streamCache;

    QString m_text;
    bool m_regex = false;
    bool m_textActive = false;
    bool m_asciiNeedle = false;
    std::string m_needleLower; // ASCII needles: lower-cased bytes for the byte-level search
    std::array<uint32_t, 256> m_skip{};
    QRegularExpression m_expression;
    mutable QString m_scratch; // reused UTF-16 buffer for regex / non-ASCII matching
};

} // namespace opsdeck::logs
