#!/usr/bin/env bash
# Regenerates the EF Core compiled models (src/Engagements/Data/CompiledModels) after a change to the entity model.
# Run it together with `dotnet ef migrations add`; CompiledModelTests fail while a compiled model is out of date.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src/Engagements"
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  rm -rf "Data/CompiledModels/$provider"
  dotnet ef dbcontext optimize --context "${provider}EngagementsDb" \
    --output-dir "Data/CompiledModels/$provider" --namespace "Engagements.Data.CompiledModels.$provider"
  # The app passes the model with UseModel; the assembly attribute would also make design-time tools pick it up.
  rm -f "Data/CompiledModels/$provider/${provider}EngagementsDbAssemblyAttributes.cs"
done
