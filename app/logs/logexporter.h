#pragma once

// Exports the Logs pane's filtered view or its whole history to a file, as text lines or as
// NDJSON in the protocol's log entry shape (so an export can be read back with
// LogModel::appendEntries). The work runs in time-boxed slices on the model's thread: the
// store is not thread-safe and a slice of a few ms keeps the UI responsive. The file is written
// through QSaveFile, so a cancelled or failed export leaves no partial file behind.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSaveFile>

#include <memory>
#include <vector>

namespace opsdeck::logs {

class LogModel;
class LogStore;

class LogExporter : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressed)

public:
    enum Format { Text, Ndjson };
    Q_ENUM(Format)
    enum Scope { FilteredView, WholeHistory };
    Q_ENUM(Scope)

    explicit LogExporter(QObject *parent = nullptr);
    ~LogExporter() override;

    // Snapshots what to export (the visible rows or every stored entry) and starts writing.
    // Returns false if an export is running or the file cannot be opened (see finished()).
    Q_INVOKABLE bool start(opsdeck::logs::LogModel *model, const QString &path, Format format = Ndjson,
                           Scope scope = FilteredView);
    Q_INVOKABLE void cancel();

    bool isRunning() const { return m_file != nullptr; }
    double progress() const { return m_total ? double(m_done) / double(m_total) : 0.0; }

    // Entries per slice bound (tests use small slices to observe progress); time-boxed anyway.
    void setSliceSize(int entries) { m_sliceSize = std::max(1, entries); }

    // One entry in the given format, without the trailing newline; UTF-8.
    static QByteArray formatEntry(const LogStore &store, uint64_t position, Format format);

Q_SIGNALS:
    void runningChanged();
    void progressed(qint64 done, qint64 total);
    void finished(bool ok, const QString &error, qint64 written);

private:
    void runSlice();
    void finish(const QString &error);

    QPointer<LogModel> m_model;
    std::unique_ptr<QSaveFile> m_file;
    std::vector<uint64_t> m_positions; // FilteredView snapshot
    uint64_t m_rangeFirst = 0;         // WholeHistory snapshot: [first, first + total)
    Scope m_scope = FilteredView;
    Format m_format = Ndjson;
    qint64 m_total = 0;
    qint64 m_done = 0;
    qint64 m_written = 0;
    int m_sliceSize = 50000;
    bool m_cancelled = false;
    QByteArray m_buffer;
};

} // namespace opsdeck::logs
