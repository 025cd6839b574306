#!/usr/bin/env bash
# Submits the personalization job to the session cluster, once: compose runs it as a one-shot
# service after the JobManager is healthy. Arguments go to the job (the flags of
# `bin/personalize run`, e.g. --bootstrap-servers kafka:9092). Runs in the job image.
#   JOBMANAGER  REST address of the JobManager (default jobmanager:8081)
#   RESUME      true (default): start from the newest retained checkpoint in the shared volume
set -euo pipefail
jobmanager="${JOBMANAGER:-jobmanager:8081}"
jar=/opt/flink/usrlib/personalize-job.jar
# QueryableStateNames.JOB_NAME: the server and `personalize query` find the job by this name.
name=personalize

# A second `docker compose up` must not start a second copy of the job.
if flink list -r -m "$jobmanager" 2>/dev/null | grep -q ": ${name} ("; then
  echo "submit-job: '${name}' already runs on ${jobmanager}; nothing to do"
  exit 0
fi

# The job keeps its checkpoints on cancellation (RETAIN_ON_CANCELLATION): a new submission after
# `docker compose down` (volumes kept) resumes the models from the newest one, as `run` does locally.
resume=()
if [[ "${RESUME:-true}" == true ]]; then
  latest="$(ls -t /opt/flink/checkpoints/*/chk-*/_metadata 2>/dev/null | head -n 1 || true)"
  if [[ -n "$latest" ]]; then
    echo "submit-job: resuming from ${latest%/_metadata}"
    resume=(-s "file://${latest%/_metadata}")
  fi
fi

exec flink run -d -m "$jobmanager" "${resume[@]}" "$jar" "$@"
