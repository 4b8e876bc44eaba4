#include "ingestruns.h"

#include "historystore.h"
#include "hubconfig.h"
#include "hubserver.h"
#include "logfileparser.h"
#include "logsources.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <ctime>

namespace opsdeck::bench {

double processCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

ParseRun runParseOnly(const QString &logPath)
{
    ParseRun run;
    QFile file(logPath);
    if (!file.open(QIODevice::ReadOnly))
        return run;
    QByteArray block(1 << 20, Qt::Uninitialized);
    logs::LogFileParser parser(QFileInfo(logPath).fileName().toStdString());
    const double cpuBefore = processCpuMs();
    QElapsedTimer timer;
    timer.start();
    qint64 entries = 0;
    for (qint64 n; (n = file.read(block.data(), block.size())) > 0;) {
        parser.feed(std::string_view(block.constData(), std::size_t(n)));
        if (parser.hasFullBatch())
            entries += qint64(parser.takeBatch()->items.size());
    }
    parser.finish();
    entries += qint64(parser.takeBatch()->items.size());
    run.ms = double(timer.nsecsElapsed()) / 1e6;
    run.cpuMs = processCpuMs() - cpuBefore;
    run.lines = parser.lineCount();
    run.entries = entries;
    return run;
}

namespace {
    qint64 storedRows(const QString &dbPath)
    {
        qint64 rows = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-ingest-count"));
            db.setDatabaseName(dbPath);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(QStringLiteral("SELECT count(*) FROM entries_logs")) && query.next())
                    rows = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bench-ingest-count"));
        return rows;
    }
} // namespace

HubRun runHubPath(const QString &logPath, qint64 fileBytes, const QString &dbPath)
{
    HubRun run;
    hub::HubConfig config; // the hub's defaults: ring of 100,000 logs, 1 M stored entries, 7 days
    config.historyDb = dbPath;
    auto server = std::make_unique<hub::HubServer>(config);
    if (!dbPath.isEmpty() && !server->history()) {
        run.error = server->errorString();
        return run;
    }
    hub::Topic &logsTopic = server->topics().topic(protocol::Topic::Logs);
    const quint64 firstSeq = logsTopic.headSeq();
    // attach() has already written each topic's epoch; only the run's own commits count.
    const qint64 commitsBefore = server->history() ? server->history()->flushCount() : 0;

    // What hub/cli/main.cpp does for --log-file FILE --log-from-start.
    auto sources = std::make_unique<logsource::LogSources>(server->topics());
    logsource::LogFileTailerOptions options;
    options.fromStart = true;
    sources->addFile(logsource::LogFileSpec::parse(logPath), options);
    logsource::LogFileTailer *tailer = sources->tailers().front().get();
    // Connected after LogSources' own connection, so it runs once the batch is published.
    bool readToEnd = false;
    QObject::connect(tailer, &logsource::LogFileTailer::entriesReady, tailer,
        [&] { readToEnd = readToEnd || tailer->offset() >= fileBytes; });

    const double cpuBefore = processCpuMs();
    QElapsedTimer timer;
    timer.start();
    sources->start();
    // The tailer reads a backlog in turns of 16 × 64 KiB and yields to the event loop between
    // them, exactly as in the hub. If the last turn completed no entry, its 400 ms quiet timer
    // completes one and signals; nothing here waits for a fixed time.
    while (!readToEnd)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    sources->stop(); // hands over the entry still open at the end of the file
    if (hub::storage::HistoryStore *store = server->history()) {
        QElapsedTimer flushTimer;
        flushTimer.start();
        if (!store->flush()) {
            run.error = QStringLiteral("the final flush failed (see the warning above)");
            return run;
        }
        run.finalFlushMs = double(flushTimer.nsecsElapsed()) / 1e6;
        run.commits = store->flushCount() - commitsBefore;
    }
    run.ms = double(timer.nsecsElapsed()) / 1e6;
    run.cpuMs = processCpuMs() - cpuBefore;
    run.entries = qint64(logsTopic.headSeq() - firstSeq);

    sources.reset(); // before the topics it publishes into
    QElapsedTimer closing;
    closing.start();
    server.reset();
    run.closeMs = double(closing.nsecsElapsed()) / 1e6;
    if (!dbPath.isEmpty()) {
        run.dbBytes = QFileInfo(dbPath).size() + QFileInfo(dbPath + QStringLiteral("-wal")).size();
        run.storedEntries = storedRows(dbPath);
    }
    run.ok = true;
    return run;
}

} // namespace opsdeck::bench
