#pragma once

#include <QObject>
#include <QString>

class QAction;
class QWidget;
class TaskEngine;

// "Import file…": copies a file into the upload folder (the same folder as uploads over the
// server) and verifies it, as one pipeline task (Copy, then Verify its SHA-256). The name is
// taken at once with the upload folder's one naming rule (UploadStore), so an upload finishing
// meanwhile under the same name is never overwritten.
class FileImporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileImporter)

public:
    // `parent` is the window: the action's style and the file dialog's parent.
    FileImporter(TaskEngine &engine, QWidget *parent);

    // Enabled only while an upload folder is set.
    QAction *action() const { return m_action; }

    // Unset or empty: the action is disabled.
    void setUploadDir(const QString &dir);

    // Submits the import of `path` without asking; the action calls it after its file dialog.
    // Returns the new task's id, or an empty string after emitting failed().
    QString importFile(const QString &path);

Q_SIGNALS:
    void failed(const QString &what, const QString &message);
    // From the dialog: the task that imports the chosen file.
    void imported(const QString &id);

private:
    void showDialog();

    TaskEngine &m_engine;
    QWidget *m_window;
    QAction *m_action;
    QString m_uploadDir;
};
