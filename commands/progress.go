package commands

// Progress convention: env.Progress(done, total, what) reports recursive work
// (total 0 when unknown); env.Progress(-1, 0, "") clears the progress line,
// which a command must do before it writes to a stream that may share the
// terminal, and when it finishes. env.Progress is nil when stderr is not a
// terminal, so these helpers make every call site one line.

func reportProgress(env *Env, done, total int, what string) {
	if env.Progress != nil {
		env.Progress(done, total, what)
	}
}

func clearProgress(env *Env) {
	if env.Progress != nil {
		env.Progress(-1, 0, "")
	}
}
