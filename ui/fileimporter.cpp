#include "fileimporter.h"

#include "actionfactory.h"
#include "app/core/taskengine.h"
#include "app/core/uploadstore.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

FileImporter::FileImporter(TaskEngine &engine, QWidget *parent)
    : QObject(parent), m_engine(engine), m_window(parent)
{
    m_action
        = makeAction(parent, this, tr("&Import file…"), u"actionImportFile"_s,
                     QKeySequence(u"Ctrl+I"_s), QStyle::SP_DialogOpenButton, u"document-import"_s);
    m_action->setEnabled(false); // until setUploadDir()
    connect(m_action, &QAction::triggered, this, &FileImporter::showDialog);
}

void FileImporter::setUploadDir(const QString &dir)
{
    m_uploadDir = dir.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    m_action->setEnabled(!m_uploadDir.isEmpty());
}

void FileImporter::showDialog()
{
    if (m_uploadDir.isEmpty())
        return;
    // Non-blocking, like the other dialogs: the list keeps updating while it is open.
    auto *dialog = new QFileDialog(m_window, tr("Import file"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        const QString id = importFile(file);
        if (!id.isEmpty())
            Q_EMIT imported(id);
    });
    dialog->open();
}

QString FileImporter::importFile(const QString &path)
{
    if (m_uploadDir.isEmpty()) {
        Q_EMIT failed(tr("Could not import"), tr("No upload folder is set."));
        return {};
    }
    const QFileInfo source(path);
    if (!source.isFile()) {
        Q_EMIT failed(tr("Could not import"), tr("%1 is not a file.").arg(path));
        return {};
    }
    // The name is taken at once (an empty file, created exclusively) with the upload folder's
    // one naming rule, "name (1).tar.gz": a tus upload finishing meanwhile under the same name
    // takes the next one instead of being overwritten by the copy.
    UploadError error;
    const std::optional<QString> reserved
        = UploadStore(m_uploadDir).reserve(source.fileName(), &error);
    if (!reserved) {
        Q_EMIT failed(tr("Could not import"), error.message);
        return {};
    }
    const QString target = *reserved;
    const QString name = source.fileName();

    const QJsonArray steps {
        QJsonObject { { u"label"_s, tr("Copy") },
                      { u"type"_s, u"copy"_s },
                      { u"params"_s,
                        // The file is ours (reserved above), so the copy may replace it, as a
                        // retry after an interrupted Verify must replace the finished first copy.
                        QJsonObject { { u"source"_s, source.absoluteFilePath() },
                                      { u"destination"_s, target },
                                      { u"overwrite"_s, true } } } },
        QJsonObject { { u"label"_s, tr("Verify") },
                      { u"type"_s, u"checksum"_s },
                      { u"params"_s,
                        QJsonObject { { u"path"_s, target }, { u"algorithm"_s, u"sha256"_s } } } },
    };
    TaskSpec spec;
    spec.type = u"pipeline"_s;
    spec.title = tr("Import %1").arg(name);
    spec.params = QJsonObject { { u"steps"_s, steps } };
    const Result<TaskSnapshot> submitted = m_engine.submit(spec);
    if (!submitted) {
        QFile::remove(target); // the empty file that held the name
        Q_EMIT failed(tr("Could not import"), submitted.error().message);
        return {};
    }
    return submitted.value().id;
}
