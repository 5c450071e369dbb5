{{/* Selector labels: only the stable pair, identical to the cdk8s app's. */}}
{{- define "tourkit.selectorLabels" -}}
app.kubernetes.io/name: {{ . }}
app.kubernetes.io/part-of: tourkit
{{- end }}

{{/* Object labels. Usage: include "tourkit.labels" (list $ "catalog" "api") */}}
{{- define "tourkit.labels" -}}
{{- $root := index . 0 -}}
{{ include "tourkit.selectorLabels" (index . 1) }}
app.kubernetes.io/component: {{ index . 2 }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Metadata block. Usage: include "tourkit.metadata" (list $ "catalog" "api"), or with the object's own name
     when it differs from its app name: (list $ "catalog" "api" "catalog-config") */}}
{{- define "tourkit.metadata" -}}
name: {{ if gt (len .) 3 }}{{ index . 3 }}{{ else }}{{ index . 1 }}{{ end }}
namespace: {{ (index . 0).Release.Namespace }}
labels:
  {{- include "tourkit.labels" (list (index . 0) (index . 1) (index . 2)) | nindent 2 }}
{{- end }}

{{/* Image of a service. Usage: include "tourkit.image" (list $ "catalog") */}}
{{- define "tourkit.image" -}}
{{- $root := index . 0 -}}
{{- with $root.Values.image.registry }}{{ trimSuffix "/" . }}/{{ end -}}
tourkit/{{ index . 1 }}:{{ $root.Values.image.tag }}
{{- end }}

{{/* Pod security context for a numeric uid. */}}
{{- define "tourkit.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container security context: read-only root, no capabilities, no escalation. Pass the uid or "" to inherit. */}}
{{- define "tourkit.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
{{- with . }}
runAsUser: {{ . }}
runAsGroup: {{ . }}
{{- end }}
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* requests/limits with quantities as strings. */}}
{{- define "tourkit.resources" -}}
{{- $r := index . 0 -}}
requests:
  cpu: {{ include "tourkit.scaledCpu" (list $r.requests.cpu (index . 1)) | quote }}
  memory: {{ $r.requests.memory | quote }}
  ephemeral-storage: {{ $r.requests.ephemeralStorage | quote }}
limits:
  cpu: {{ $r.limits.cpu | quote }}
  memory: {{ $r.limits.memory | quote }}
  ephemeral-storage: {{ $r.limits.ephemeralStorage | quote }}
{{- end }}

{{/* A CPU quantity at a percent of itself, in millicores rounded down (1m at least), as cdk8s's
     scaledCpu; 100 leaves it as written. Usage: include "tourkit.scaledCpu" (list "100m" 25) */}}
{{- define "tourkit.scaledCpu" -}}
{{- $cpu := toString (index . 0) -}}
{{- $percent := int (index . 1) -}}
{{- if eq $percent 100 -}}
{{- $cpu -}}
{{- else -}}
{{- $millis := 0 -}}
{{- if hasSuffix "m" $cpu -}}
{{- $millis = int (trimSuffix "m" $cpu) -}}
{{- else -}}
{{- $millis = int (mulf (float64 $cpu) 1000) -}}
{{- end -}}
{{- max 1 (div (mul $millis $percent) 100) -}}m
{{- end -}}
{{- end }}

{{/* Labels of a service's database pods (plain StatefulSets or CloudNativePG instances). Usage: (list $ "catalog") */}}
{{- define "tourkit.dbPodLabels" -}}
{{- $root := index . 0 -}}
{{- if $root.Values.cloudnativepg.enabled -}}
cnpg.io/cluster: {{ index . 1 }}-db
{{- else -}}
{{ include "tourkit.selectorLabels" (printf "%s-db" (index . 1)) }}
{{- end }}
{{- end }}

{{/* Grace period: preStop sleep + drain + in-flight timeout + margin. */}}
{{- define "tourkit.terminationGrace" -}}
{{- $s := .Values.shutdown -}}
{{ add $s.preStopSleepSeconds $s.drainSeconds $s.timeoutSeconds 5 }}
{{- end }}

{{/* Labels of the operator's objects: those of operator/src/deploy/manifests.ts plus Helm's own. */}}
{{/* What the ScalingSchedule controller calls, no more: operatorClusterRules() in operator/src/deploy/manifests.ts. */}}
{{- define "tourkit.operatorRules" -}}
- { apiGroups: [scaling.tourkit.dev], resources: [scalingschedules], verbs: [get, list, watch, patch] }
- { apiGroups: [scaling.tourkit.dev], resources: [scalingschedules/status], verbs: [patch] }
- { apiGroups: [scaling.tourkit.dev], resources: [scalingcalendars], verbs: [get, list, watch] }
- { apiGroups: [autoscaling], resources: [horizontalpodautoscalers], verbs: [get, list, watch, patch] }
- { apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, patch] }
- { apiGroups: [events.k8s.io], resources: [events], verbs: [create] }
{{- end }}

{{- define "tourkit.operatorMetadata" -}}
labels:
  app.kubernetes.io/name: tourkit-scaling-schedule
  app.kubernetes.io/component: controller
  app.kubernetes.io/part-of: tourkit
  app.kubernetes.io/instance: {{ .Release.Name }}
  app.kubernetes.io/managed-by: {{ .Release.Service }}
  helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* DB_POOL_MAX of a service: every replica at its maximum within 80 connections (Postgres max_connections 100,
     minus headroom), at most the kit's default 10. Usage: include "tourkit.dbPoolMax" $svc */}}
{{- define "tourkit.dbPoolMax" -}}
{{- $max := .replicas -}}
{{- if .autoscaling.enabled }}{{ $max = .autoscaling.maxReplicas }}{{ end -}}
{{ min 10 (div 80 $max) }}
{{- end }}
