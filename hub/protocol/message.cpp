#include "message.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace opsdeck::protocol {

ParsedFrame parseFrame(const QByteArray &utf8)
{
    ParsedFrame out;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        out.error = ProtocolError{ErrorCode::BadJson,
                                  QStringLiteral("Frame is not valid JSON: %1").arg(parseError.errorString()),
                                  QJsonObject{{QStringLiteral("offset"), parseError.offset}}};
        return out;
    }
    if (!doc.isObject()) {
        out.error = ProtocolError{ErrorCode::BadJson, QStringLiteral("Frame is not a JSON object"),
                                  QJsonObject{{QStringLiteral("offset"), 0}}};
        return out;
    }
    QJsonObject body = doc.object();

    const QJsonValue idValue = body.value(QLatin1StringView("id"));
    if (idValue.isString()) {
        const QString id = idValue.toString();
        if (id.isEmpty() || id.size() > kMaxIdLength) {
            out.error = badMessage(QStringLiteral("id"), QStringLiteral("string of 1-128 characters"));
            return out;
        }
        out.id = id;
    } else if (!idValue.isUndefined() && !idValue.isNull()) {
        out.error = badMessage(QStringLiteral("id"), QStringLiteral("string"));
        return out;
    }

    const QJsonValue typeValue = body.value(QLatin1StringView("type"));
    QString type;
    if (typeValue.isString()) {
        type = typeValue.toString();
    } else if (typeValue.isUndefined() && body.value(QLatin1StringView("action")).isString()) {
        // Seed 001 sends controls without a type: {"action": "pause"}.
        type = QStringLiteral("control");
    } else {
        out.error = badMessage(QStringLiteral("type"), QStringLiteral("string"));
        return out;
    }
    if (type.isEmpty()) {
        out.error = badMessage(QStringLiteral("type"), QStringLiteral("non-empty string"));
        return out;
    }
    out.message = InboundMessage{type, out.id, std::move(body)};
    return out;
}

FieldReader::FieldReader(const QJsonObject &object)
    : m_object(object)
{
}

void FieldReader::fail(QLatin1StringView field, const QString &expected)
{
    if (!m_error)
        m_error = badMessage(QString(field), expected);
}

QString FieldReader::requiredString(QLatin1StringView field, qsizetype maxLength)
{
    const QJsonValue value = m_object.value(field);
    if (!value.isString() || value.toString().isEmpty() || value.toString().size() > maxLength) {
        fail(field, QStringLiteral("non-empty string of at most %1 characters").arg(maxLength));
        return {};
    }
    return value.toString();
}

std::optional<QString> FieldReader::optionalString(QLatin1StringView field, qsizetype maxLength)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString() || value.toString().size() > maxLength) {
        fail(field, QStringLiteral("string of at most %1 characters").arg(maxLength));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<qint64> FieldReader::optionalInteger(QLatin1StringView field, qint64 min, qint64 max)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::isnan(number) || number != std::floor(number) || number < double(min)
        || number > double(max)) {
        fail(field, QStringLiteral("integer from %1 to %2").arg(min).arg(max));
        return std::nullopt;
    }
    return static_cast<qint64>(number);
}

std::optional<bool> FieldReader::optionalBool(QLatin1StringView field)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isBool()) {
        fail(field, QStringLiteral("boolean"));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<QJsonObject> FieldReader::optionalObject(QLatin1StringView field)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject()) {
        fail(field, QStringLiteral("object"));
        return std::nullopt;
    }
    return value.toObject();
}

QJsonObject FieldReader::requiredObject(QLatin1StringView field)
{
    const QJsonValue value = m_object.value(field);
    if (!value.isObject()) {
        fail(field, QStringLiteral("object"));
        return {};
    }
    return value.toObject();
}

ProtocolError badMessage(const QString &field, const QString &expected)
{
    return ProtocolError{ErrorCode::BadMessage,
                         QStringLiteral("Field '%1' must be %2").arg(field, expected),
                         QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("expected"), expected}}};
}

ProtocolError connectionLimit(int limit, bool hubWide)
{
    return ProtocolError{ErrorCode::ConnectionLimit,
                         QStringLiteral("Connection limit reached (%1 per %2)")
                             .arg(limit)
                             .arg(hubWide ? QStringLiteral("hub") : QStringLiteral("IP")),
                         QJsonObject{{QStringLiteral("limit"), limit},
                                     {QStringLiteral("scope"), hubWide ? QStringLiteral("hub") : QStringLiteral("ip")},
                                     {QStringLiteral("retry_after"), 10}}};
}

ProtocolError hubUnavailable(const QString &hub, bool linked, const QString &message)
{
    return ProtocolError{ErrorCode::HubUnavailable, message,
                         QJsonObject{{QStringLiteral("hub"), hub}, {QStringLiteral("linked"), linked}}};
}

ProtocolError hubNotLinked(const QString &hub)
{
    return hubUnavailable(hub, false, QStringLiteral("No link to a hub called '%1': sign in to it first").arg(hub));
}

QJsonObject makeResponse(const QString &id, const QJsonObject &result)
{
    QJsonObject response{{QStringLiteral("type"), QStringLiteral("response")},
                         {QStringLiteral("ok"), true},
                         {QStringLiteral("result"), result}};
    if (!id.isEmpty())
        response.insert(QStringLiteral("id"), id);
    return response;
}

QJsonObject makeError(const ProtocolError &error, const QString &id)
{
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("error")},
                        {QStringLiteral("code"), errorCodeName(error.code)},
                        {QStringLiteral("message"), error.message}};
    if (!error.details.isEmpty())
        message.insert(QStringLiteral("details"), error.details);
    if (!id.isEmpty())
        message.insert(QStringLiteral("id"), id);
    return message;
}

QByteArray toFrame(QJsonObject message)
{
    if (!message.contains(QLatin1StringView("ts")))
        message.insert(QStringLiteral("ts"), isoNow());
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

} // namespace opsdeck::protocol
