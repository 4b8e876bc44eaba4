#include "stringtable.h"

#include "logcommon.h"

namespace opsdeck::logs {

StringTable::StringTable()
{
    m_strings.emplace_back();
    m_utf8.emplace_back();
    m_index.emplace(std::string(), kEmpty);
}

uint16_t StringTable::intern(std::string_view utf8)
{
    if (utf8.empty())
        return kEmpty;
    if (m_lastId != kEmpty && utf8 == m_lastKey)
        return m_lastId;
    auto it = m_index.find(utf8);
    uint16_t id;
    if (it != m_index.end()) {
        id = it->second;
    } else if (m_strings.size() >= 0xFFFE) {
        if (m_overflowId == kEmpty) {
            // The last id is reserved for the overflow value so no real value is renamed.
            qCWarning(lcLogs) << "string table full; further distinct values are shown as \"(other)\"";
            m_overflowId = uint16_t(m_strings.size());
            m_strings.push_back(QStringLiteral("(other)"));
            m_utf8.emplace_back("(other)");
        }
        return m_overflowId;
    } else {
        id = uint16_t(m_strings.size());
        m_strings.push_back(QString::fromUtf8(utf8.data(), qsizetype(utf8.size())));
        m_utf8.emplace_back(utf8);
        m_index.emplace(std::string(utf8), id);
        m_bytes += utf8.size() * 4 + 64;
    }
    m_lastKey.assign(utf8);
    m_lastId = id;
    return id;
}

int StringTable::find(std::string_view utf8) const
{
    auto it = m_index.find(utf8);
    return it == m_index.end() ? -1 : int(it->second);
}

} // namespace opsdeck::logs
