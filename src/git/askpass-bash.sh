#!/bin/bash -p
# git runs this as GIT_ASKPASS with its prompt as $1, where /bin/bash exists. It asks the editor on
# 127.0.0.1 through bash's own /dev/tcp, so no process starts and neither the nonce nor the answer is in
# any argv; the secret is never in this script's arguments or environment. Protocol: askpassServer.ts.
# A bash built without /dev/tcp runs the Node program instead, which speaks the same protocol.
# -p: no BASH_ENV file and no functions from the environment stand in for printf or read.
# POSIXLY_CORRECT in the environment would make a failed exec end the script before it can fall back.
set +o posix
if ! { exec 3<>"/dev/tcp/127.0.0.1/$BITBUCKET_ASKPASS_PORT"; } 2>/dev/null; then
  ELECTRON_RUN_AS_NODE=1 exec "$BITBUCKET_ASKPASS_NODE" "$BITBUCKET_ASKPASS_MAIN" "$@"
fi
printf '%s\n%s\n' "$BITBUCKET_ASKPASS_NONCE" "$1" >&3
# No answer (refused, or the editor gone) exits non-zero, so git fails instead of hanging.
IFS= read -r -t 60 answer <&3 || exit 1
printf '%s\n' "$answer"
