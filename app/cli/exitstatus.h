#pragma once

// The exit status of every `headway` client subcommand (README and headway(1) list them).
enum ExitStatus : int {
    ExitOk = 0, // done; the task(s) succeeded
    ExitTaskFailed = 1, // a task failed
    ExitBadArguments = 2, // an unknown subcommand, option, id or parameter; a refused action
    ExitCanceled = 3, // a task was canceled or interrupted
    ExitUnreachable = 4, // no Headway found or reachable, or its token was refused
};
