// PipelineTask with the real built-in types: an installer-like pipeline (copy, checksum,
// command), the step list/index and overall percent, stopping at the first failing step and
// naming it, defaults filled in steps, and cancel.
#include "app/core/taskcontext.h"
#include "app/core/tasks/pipelinetask.h"
#include "app/core/tasktyperegistry.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;

class tst_PipelineTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void installer();
    void stopsAtFirstFailure();
    void percentAcrossSteps();
    void defaultLabels();
    void viaRegistry();

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    TaskOutcome run(const QJsonArray &steps, TaskContext &context)
    {
        return PipelineTask(&m_registry, steps).run(context);
    }
    static TaskContext::Sample sampleOf(const TaskContext &context)
    {
        TaskContext::Sample s;
        context.sample(s);
        return s;
    }

    TaskTypeRegistry m_registry;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_PipelineTask::initTestCase()
{
    registerBuiltinTaskTypes(m_registry);
}

void tst_PipelineTask::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QFile payload(path(u"payload.bin"_s));
    QVERIFY(payload.open(QIODevice::WriteOnly));
    payload.write(QByteArray(200000, 'p'));
}

void tst_PipelineTask::installer()
{
    const QJsonArray steps {
        QJsonObject { { u"label"_s, u"Copy payload"_s },
                      { u"type"_s, u"copy"_s },
                      { u"params"_s,
                        QJsonObject { { u"source"_s, path(u"payload.bin"_s) },
                                      { u"destination"_s, path(u"installed/app.bin"_s) } } } },
        QJsonObject {
            { u"label"_s, u"Verify"_s },
            { u"type"_s, u"checksum"_s },
            { u"params"_s, QJsonObject { { u"path"_s, path(u"installed/app.bin"_s) } } } },
        QJsonObject {
            { u"label"_s, u"Post-install"_s },
            { u"type"_s, u"command"_s },
            { u"params"_s,
              QJsonObject { { u"program"_s, u"/bin/sh"_s },
                            { u"arguments"_s, QJsonArray { u"-c"_s, u"echo 50; echo done"_s } },
                            { u"working_directory"_s, path(u"installed"_s) } } } },
    };
    TaskContext context;
    const TaskOutcome outcome = run(steps, context);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));

    const QJsonArray results = outcome.result.toObject().value(u"steps"_s).toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.at(0).toObject().value(u"files"_s).toInt(), 1);
    QCOMPARE(
        results.at(1).toObject().value(u"digest"_s).toString(),
        QString::fromLatin1(
            QCryptographicHash::hash(QByteArray(200000, 'p'), QCryptographicHash::Sha256).toHex()));
    QCOMPARE(results.at(1).toObject().value(u"algorithm"_s).toString(),
             u"sha256"_s); // default filled
    QCOMPARE(results.at(2).toObject().value(u"output_tail"_s).toString(), u"50\ndone\n"_s);

    const TaskContext::Sample sample = sampleOf(context);
    QCOMPARE(sample.steps, (QStringList { u"Copy payload"_s, u"Verify"_s, u"Post-install"_s }));
    QCOMPARE(sample.step, 2);
    // The last step reported 50%: overall 2/3 + 1/3 * 50%.
    QVERIFY(qFuzzyCompare(sample.percent, 100.0 * (2.0 / 3.0) + 50.0 / 3.0));
}

void tst_PipelineTask::stopsAtFirstFailure()
{
    const QString marker = path(u"ran"_s);
    const QJsonArray steps {
        QJsonObject { { u"label"_s, u"Warm up"_s },
                      { u"type"_s, u"demo"_s },
                      { u"params"_s, QJsonObject { { u"steps"_s, 1 }, { u"delay_ms"_s, 0 } } } },
        QJsonObject { { u"label"_s, u"Verify"_s },
                      { u"type"_s, u"checksum"_s },
                      { u"params"_s, QJsonObject { { u"path"_s, path(u"missing.iso"_s) } } } },
        QJsonObject { { u"label"_s, u"Never"_s },
                      { u"type"_s, u"command"_s },
                      { u"params"_s,
                        QJsonObject { { u"program"_s, u"touch"_s },
                                      { u"arguments"_s, QJsonArray { marker } } } } },
    };
    TaskContext context;
    const TaskOutcome outcome = run(steps, context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"step_failed"_s);
    QVERIFY2(outcome.error.message.contains(u"Step 2 of 3 (Verify)"_s),
             qPrintable(outcome.error.message));
    QVERIFY(outcome.error.message.contains(path(u"missing.iso"_s)));
    QCOMPARE(outcome.error.details.value(u"step_index"_s).toInt(), 1);
    QCOMPARE(outcome.error.details.value(u"label"_s).toString(), u"Verify"_s);
    QCOMPARE(outcome.error.details.value(u"type"_s).toString(), u"checksum"_s);
    QCOMPARE(outcome.error.details.value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"not_found"_s);
    QCOMPARE(sampleOf(context).step, 1);
    QVERIFY(!QFile::exists(marker));
}

void tst_PipelineTask::percentAcrossSteps()
{
    const QJsonArray steps {
        QJsonObject { { u"label"_s, u"Quick"_s },
                      { u"type"_s, u"demo"_s },
                      { u"params"_s, QJsonObject { { u"steps"_s, 2 }, { u"delay_ms"_s, 0 } } } },
        QJsonObject {
            { u"label"_s, u"Slow"_s },
            { u"type"_s, u"demo"_s },
            { u"params"_s, QJsonObject { { u"steps"_s, 4 }, { u"delay_ms"_s, 3600000 } } } },
    };
    TaskContext context;
    TaskOutcome outcome;
    std::atomic<bool> done { false };
    std::thread worker([&] {
        outcome = run(steps, context);
        done = true;
    });
    QTRY_COMPARE(sampleOf(context).step, 1);
    QTRY_COMPARE(sampleOf(context).message, u"Step 1 of 4"_s);
    // The first step is done, the second has not finished a step: exactly half way.
    QCOMPARE(sampleOf(context).percent, 50.0);
    context.requestCancel();
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 2000);
    worker.join();
    QCOMPARE(outcome.error.code, u"canceled"_s);
}

void tst_PipelineTask::defaultLabels()
{
    const QJsonArray steps {
        QJsonObject { { u"type"_s, u"demo"_s },
                      { u"params"_s, QJsonObject { { u"steps"_s, 0 } } } },
        QJsonObject { { u"type"_s, u"checksum"_s },
                      { u"label"_s, u"  "_s },
                      { u"params"_s, QJsonObject { { u"path"_s, path(u"payload.bin"_s) } } } },
    };
    TaskContext context;
    QVERIFY(run(steps, context).ok);
    QCOMPARE(
        sampleOf(context).steps,
        (QStringList { m_registry.find(u"demo"_s)->title, m_registry.find(u"checksum"_s)->title }));
}

void tst_PipelineTask::viaRegistry()
{
    const QJsonObject params {
        { u"steps"_s,
          QJsonArray { QJsonObject { { u"label"_s, u"Hash"_s },
                                     { u"type"_s, u"checksum"_s },
                                     { u"params"_s,
                                       QJsonObject { { u"path"_s, path(u"payload.bin"_s) },
                                                     { u"algorithm"_s, u"md5"_s } } } } } }
    };
    const Result<QJsonObject> valid = m_registry.validate(u"pipeline"_s, params);
    QVERIFY(valid.ok());
    const auto runner = m_registry.create(u"pipeline"_s, valid.value());
    QVERIFY(runner);
    TaskContext context;
    const TaskOutcome outcome = runner->run(context);
    QVERIFY(outcome.ok);
    QCOMPARE(
        outcome.result.toObject()
            .value(u"steps"_s)
            .toArray()
            .at(0)
            .toObject()
            .value(u"digest"_s)
            .toString(),
        QString::fromLatin1(
            QCryptographicHash::hash(QByteArray(200000, 'p'), QCryptographicHash::Md5).toHex()));
}

QTEST_GUILESS_MAIN(tst_PipelineTask)
#include "tst_pipelinetask.moc"
