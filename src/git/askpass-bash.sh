#!/bin/bash -p
# git runs this as GIT_ASKPASS with its prompt as $1, where /bin/bash exists. It asks the editor on
# 127.0.0.1 through bash's own /dev/tcp, so no process starts and neither the nonce nor the answer is in
# any argv; the secret is never in this script's arguments or environment. Protocol: askpassServer.ts.
# A bash built without /dev/tcp runs the Node program instead, which speaks the same protocol.
# -p: no BASH_ENV file and no functions from the environment stand in for printf or read.
# POSIXLY_CORRECT in the environment would make a failed exec end the script before it can fall back.
set +o posix
# The editor may drop the connection before the request is written (too many connections at once); a
# write then fails instead of killing the script silently, and the reply check below says so.
trap '' PIPE
if ! { exec 3<>"/dev/tcp/127.0.0.1/$BITBUCKET_ASKPASS_PORT"; } 2>/dev/null; then
  ELECTRON_RUN_AS_NODE=1 exec "$BITBUCKET_ASKPASS_NODE" "$BITBUCKET_ASKPASS_MAIN" "$@"
fi
printf '%s\n%s\n' "$BITBUCKET_ASKPASS_NONCE" "$1" >&3 2>/dev/null
# Anything but an answer exits non-zero, so git fails instead of hanging; the line on stderr (git shows
# it) says which: the editor refused this prompt, or it could not be reached.
if ! IFS= read -r -t 60 reply <&3 2>/dev/null; then
  printf '%s\n' 'bitbucket askpass: no answer from the editor (busy or closed)' >&2
  exit 1
fi
case $reply in
  =*) printf '%s\n' "${reply#=}" ;;
  *) printf '%s\n' 'bitbucket askpass: refused, not a prompt for this Bitbucket remote' >&2; exit 1 ;;
esac
