#include "entryfilter.h"

#include <QJsonArray>

namespace opsdeck::protocol {

namespace {

// Processes write stdout and stderr; a file the hub follows is stream "file".
bool isKnownStream(QStringView stream)
{
    return stream == QLatin1StringView("stdout") || stream == QLatin1StringView("stderr")
           || stream == QLatin1StringView("file");
}
const QSet<QString> &knownLevels()
{
    static const QSet<QString> levels{QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"),
                                      QStringLiteral("warn"),  QStringLiteral("error"), QStringLiteral("fatal")};
    return levels;
}

bool readStringSet(const QJsonObject &object, QLatin1StringView field, QSet<QString> &out,
                   std::optional<ProtocolError> &error)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray()) {
        error = badMessage(QStringLiteral("filter.") + field, QStringLiteral("array of strings"));
        return false;
    }
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty()) {
            error = badMessage(QStringLiteral("filter.") + field, QStringLiteral("array of strings"));
            return false;
        }
        out.insert(item.toString());
    }
    return true;
}

QJsonArray toArray(const QSet<QString> &set)
{
    QStringList sorted(set.begin(), set.end());
    sorted.sort();
    return QJsonArray::fromStringList(sorted);
}
} // namespace

std::variant<EntryFilter, ProtocolError> EntryFilter::fromJson(const QJsonValue &value)
{
    EntryFilter filter;
    if (value.isUndefined() || value.isNull())
        return filter;
    if (!value.isObject())
        return badMessage(QStringLiteral("filter"), QStringLiteral("object"));
    const QJsonObject object = value.toObject();
    std::optional<ProtocolError> error;
    if (!readStringSet(object, QLatin1StringView("levels"), filter.m_levels, error)
        || !readStringSet(object, QLatin1StringView("sources"), filter.m_sources, error)
        || !readStringSet(object, QLatin1StringView("streams"), filter.m_streams, error))
        return *error;
    for (const QString &level : std::as_const(filter.m_levels)) {
        if (!knownLevels().contains(level))
            return badMessage(QStringLiteral("filter.levels"),
                              QStringLiteral("levels among trace, debug, info, warn, error, fatal"));
    }
    for (const QString &stream : std::as_const(filter.m_streams)) {
        if (!isKnownStream(stream))
            return badMessage(QStringLiteral("filter.streams"), QStringLiteral("streams among stdout, stderr, file"));
    }
    FieldReader reader(object);
    filter.m_text = reader.optionalString(QLatin1StringView("text"), 1024).value_or(QString());
    filter.m_regex = reader.optionalBool(QLatin1StringView("regex")).value_or(false);
    if (!reader.ok()) {
        ProtocolError prefixed = *reader.error();
        const QString field = QStringLiteral("filter.") + prefixed.details.value(QLatin1StringView("field")).toString();
        prefixed.details.insert(QStringLiteral("field"), field);
        return prefixed;
    }
    if (filter.m_regex && !filter.m_text.isEmpty()) {
        filter.m_expression = QRegularExpression(filter.m_text, QRegularExpression::CaseInsensitiveOption);
        if (!filter.m_expression.isValid())
            return badMessage(QStringLiteral("filter.text"),
                              QStringLiteral("a valid regular expression (%1)").arg(filter.m_expression.errorString()));
        filter.m_expression.optimize();
    }
    return filter;
}

bool EntryFilter::matches(const EntryFields &fields) const
{
    if (!m_levels.isEmpty() && !fields.level.isEmpty() && !m_levels.contains(fields.level.toString()))
        return false;
    if (!m_sources.isEmpty() && !fields.source.isEmpty() && !m_sources.contains(fields.source.toString()))
        return false;
    if (!m_streams.isEmpty() && !fields.stream.isEmpty() && !m_streams.contains(fields.stream.toString()))
        return false;
    if (!m_text.isEmpty()) {
        if (m_regex)
            return m_expression.match(fields.text).hasMatch();
        return fields.text.contains(m_text, Qt::CaseInsensitive);
    }
    return true;
}

bool EntryFilter::isEmpty() const
{
    return m_levels.isEmpty() && m_sources.isEmpty() && m_streams.isEmpty() && m_text.isEmpty();
}

QJsonObject EntryFilter::toJson() const
{
    QJsonObject object;
    if (!m_levels.isEmpty())
        object.insert(QStringLiteral("levels"), toArray(m_levels));
    if (!m_sources.isEmpty())
        object.insert(QStringLiteral("sources"), toArray(m_sources));
    if (!m_streams.isEmpty())
        object.insert(QStringLiteral("streams"), toArray(m_streams));
    if (!m_text.isEmpty()) {
        object.insert(QStringLiteral("text"), m_text);
        object.insert(QStringLiteral("regex"), m_regex);
    }
    return object;
}

void EntryFilter::setStream(const QString &stream)
{
    m_streams.clear();
    if (isKnownStream(stream))
        m_streams.insert(stream);
}

} // namespace opsdeck::protocol
