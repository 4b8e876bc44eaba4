#pragma once

// Interns the few distinct sources, hosts, streams and epochs so each entry stores a 16-bit id
// instead of a string: with millions of entries this is most of the per-entry saving.

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsdeck::logs {

class StringTable
{
public:
    static constexpr uint16_t kEmpty = 0;

    StringTable();

    // Returns the id of `utf8`, adding it if new. When the table is full (65,535 distinct values,
    // which a sane fleet never reaches) new values share one overflow id instead of failing.
    uint16_t intern(std::string_view utf8);
    // Lookup without adding; returns -1 when absent.
    int find(std::string_view utf8) const;

    const QString &string(uint16_t id) const { return m_strings[id]; }
    std::string_view utf8(uint16_t id) const { return m_utf8[id]; }
    int size() const { return int(m_strings.size()); }
    std::size_t bytesUsed() const { return m_bytes; }

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::vector<QString> m_strings;
    std::vector<std::string> m_utf8;
    std::unordered_map<std::string, uint16_t, Hash, std::equal_to<>> m_index;
    // A one-entry cache: consecutive entries overwhelmingly repeat the previous source/host.
    mutable std::string m_lastKey;
    mutable uint16_t m_lastId = kEmpty;
    std::size_t m_bytes = 0;
    uint16_t m_overflowId = kEmpty;
};

} // namespace opsdeck::logs
