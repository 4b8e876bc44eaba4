#pragma once

// The subscription filter of docs/protocol.md §4.1: levels, sources, streams, text or regex.

#include "message.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <variant>

namespace opsdeck::protocol {

// The fields of a topic entry that filters look at. Empty views mean "the entry has no such field".
struct EntryFields
{
    QStringView source;
    QStringView level;
    QStringView stream;
    QStringView text;
};

class EntryFilter
{
public:
    static std::variant<EntryFilter, ProtocolError> fromJson(const QJsonValue &value);

    bool matches(const EntryFields &fields) const;
    bool isEmpty() const;
    QJsonObject toJson() const;

    // Seed 001's {action:"filter", stream:"stderr"|"stdout"|"all"}.
    void setStream(const QString &stream);

private:
    QSet<QString> m_levels;
    QSet<QString> m_sources;
    QSet<QString> m_streams;
    QString m_text;
    bool m_regex = false;
    QRegularExpression m_expression;
};

} // namespace opsdeck::protocol
