package app

import (
	"github.com/zkc-cli/zkc/commands"
	"github.com/zkc-cli/zkc/session"
)

// authCredentials collects the one-shot credentials: every --auth flag, then
// $ZKC_AUTH (one scheme:credential, so a password can stay off the command
// line and out of `ps`). A malformed one is a usage error whose text never
// contains the secret.
func authCredentials(flags []string, getenv func(string) string) ([]session.Credential, error) {
	var creds []session.Credential
	add := func(v, where string) error {
		c, err := commands.ParseCredential(v)
		if err != nil {
			return commands.Errorf(commands.ExitUsage, "%s: %v", where, err)
		}
		creds = append(creds, c)
		return nil
	}
	for _, v := range flags {
		if err := add(v, "--auth"); err != nil {
			return nil, err
		}
	}
	if v := getenv("ZKC_AUTH"); v != "" {
		if err := add(v, "ZKC_AUTH"); err != nil {
			return nil, err
		}
	}
	return creds, nil
}
