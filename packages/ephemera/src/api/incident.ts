// The story's leftover debug code, put back on purpose (EPHEMERA_INCIDENT=1
// or `ephemera serve --incident`). Routes pick this class instead of
// EphemeronViewSet at start-up, so the request path holds no `if incident`:
// a profiler sees only what the story's profiler saw, a slow getSerializer().
import type { Ephemeron } from '../db/entities.js';
import type { FlexOptions, FlexSerializer } from './serializer.js';
import { EphemeronViewSet } from './viewsets.js';

export class IncidentEphemeronViewSet extends EphemeronViewSet {
  override async getSerializer(instance: Ephemeron, options: FlexOptions): Promise<FlexSerializer<Ephemeron>> {
    const ret = await super.getSerializer(instance, options);
    try {
      if (
        (await this.queryset.isTruthy()) &&
        ret.Meta.model !== this.queryset.model &&
        this.deps.settings.environment === 'development'
      ) {
        console.warn('wrong models', ret.Meta.model.name, this.queryset.model.name);
      }
    } catch (error) {
      console.error('getSerializer: model check failed', error);
    }
    return ret;
  }
}
