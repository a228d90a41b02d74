#pragma once

#include <QString>

#include <functional>

class ProgressModel;

// The seam for showing a `headway progress` / `headway run` in a running Headway (its window,
// page and CLI) as an external task: found through instance.json and fed through the external
// task reporting API of the command-line client, which another change builds. ProgressCli calls
// begin() once the run starts (unless --no-register) and end() with the exit status; a
// registration that is canceled from Headway calls `cancel`, which is the same as Cancel.
// No implementation is linked yet: ProgressCli gets none and shows the progress locally only.
class ProgressRegistration
{
public:
    virtual ~ProgressRegistration() = default;
    virtual void begin(const QString &title, const ProgressModel &model,
                       std::function<void()> cancel)
        = 0;
    virtual void end(int exitStatus) = 0;
};
