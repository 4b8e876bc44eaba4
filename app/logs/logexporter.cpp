#include "logexporter.h"

#include "logmodel.h"
#include "logtime.h"

#include <QTimer>

namespace opsdeck::logs {

namespace {
constexpr qint64 kSliceBudgetMs = 8;

void appendJsonString(QByteArray &out, std::string_view utf8)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void appendField(QByteArray &out, const char *key, std::string_view value)
{
    out += ",\"";
    out += key;
    out += "\":";
    appendJsonString(out, value);
}
} // namespace

LogExporter::LogExporter(QObject *parent)
    : QObject(parent)
{
}

LogExporter::~LogExporter()
{
    if (m_file)
        m_file->cancelWriting();
}

QByteArray LogExporter::formatEntry(const LogStore &store, uint64_t position, Format format)
{
    const LogRecord &r = store.record(position);
    const QString time = (r.flags & LogRecord::HasTimestamp)
                             ? formatIso(r.timestampMs, r.utcOffsetMin, r.flags & LogRecord::HasOffset)
                             : QString();
    if (format == Text)
        return LogModel::entryText(store, position, time).toUtf8();

    QByteArray out;
    out.reserve(qsizetype(160 + store.messageUtf8(position).size()));
    if (r.kind == LogKind::Gap) {
        const GapInfo *gap = store.gapInfo(position);
        out += "{\"type\":\"gap\"";
        appendField(out, "epoch", store.epochs().utf8(r.epochId));
        appendField(out, "reason", gap ? gap->reason.toStdString() : std::string());
        if (gap && gap->fromSeq >= 0)
            out += ",\"from_seq\":" + QByteArray::number(gap->fromSeq) + ",\"to_seq\":" + QByteArray::number(gap->toSeq);
        appendField(out, "ts", time.toStdString());
        out += '}';
        return out;
    }
    out += "{\"type\":\"log\"";
    appendField(out, "epoch", store.epochs().utf8(r.epochId));
    out += ",\"seq\":" + QByteArray::number(r.seq);
    if (r.flags & LogRecord::HasTimestamp)
        appendField(out, "timestamp", time.toStdString());
    // As in the protocol, a field the entry does not have is left out rather than sent empty.
    const std::pair<const char *, std::string_view> fields[] = {
        {"stream", store.streams().utf8(r.streamId)},
        {"level", levelNameUtf8(r.level)},
        {"source", store.sources().utf8(r.sourceId)},
        {"host", store.hosts().utf8(r.hostId)},
    };
    for (const auto &[key, value] : fields) {
        if (!value.empty())
            appendField(out, key, value);
    }
    appendField(out, "message", store.messageUtf8(position));
    out += '}';
    return out;
}

bool LogExporter::start(LogModel *model, const QString &path, Format format, Scope scope)
{
    if (m_file || !model)
        return false;
    auto file = std::make_unique<QSaveFile>(path);
    if (!file->open(QIODevice::WriteOnly)) {
        const QString error = file->errorString();
        qCWarning(lcLogs) << "cannot export logs to" << path << error;
        Q_EMIT finished(false, error, 0);
        return false;
    }
    m_file = std::move(file);
    m_model = model;
    m_format = format;
    m_scope = scope;
    m_cancelled = false;
    m_done = m_written = 0;
    m_positions.clear();
    if (scope == FilteredView) {
        m_positions = model->visiblePositions();
        m_total = qint64(m_positions.size());
    } else {
        m_rangeFirst = model->store().firstPosition();
        m_total = qint64(model->store().size());
    }
    Q_EMIT runningChanged();
    QTimer::singleShot(0, this, &LogExporter::runSlice);
    return true;
}

void LogExporter::cancel()
{
    m_cancelled = true;
}

void LogExporter::runSlice()
{
    if (!m_file)
        return;
    if (m_cancelled)
        return finish(QStringLiteral("cancelled"));
    if (!m_model)
        return finish(QStringLiteral("the log view went away during the export"));
    const LogStore &store = m_model->store();
    QElapsedTimer budget;
    budget.start();
    const qint64 sliceEnd = std::min(m_total, m_done + m_sliceSize);
    m_buffer.clear();
    while (m_done < sliceEnd) {
        const uint64_t position = m_scope == FilteredView ? m_positions[std::size_t(m_done)] : m_rangeFirst + uint64_t(m_done);
        ++m_done;
        // Entries the capacity cap dropped since the snapshot are gone; skip them.
        if (!store.contains(position))
            continue;
        m_buffer += formatEntry(store, position, m_format);
        m_buffer += '\n';
        ++m_written;
        if ((m_done & 1023) == 0 && budget.elapsed() >= kSliceBudgetMs)
            break;
    }
    if (m_file->write(m_buffer) != m_buffer.size())
        return finish(m_file->errorString());
    Q_EMIT progressed(m_done, m_total);
    if (m_done >= m_total)
        return finish(QString());
    QTimer::singleShot(0, this, &LogExporter::runSlice);
}

void LogExporter::finish(const QString &error)
{
    QString result = error;
    if (result.isEmpty() && !m_file->commit())
        result = m_file->errorString();
    else if (!error.isEmpty())
        m_file->cancelWriting();
    m_file.reset();
    m_positions = {};
    if (!result.isEmpty())
        qCWarning(lcLogs) << "log export failed:" << result;
    Q_EMIT runningChanged();
    Q_EMIT finished(result.isEmpty(), result, m_written);
}

} // namespace opsdeck::logs
