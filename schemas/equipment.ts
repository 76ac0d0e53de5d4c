import { z } from 'zod';
import { quantity } from './quantity.js';

/** One line of an equipment list: a device type, how many, and its nameplate data. */
export const EquipmentItem = z
  .strictObject({
    type: z.string().min(1).max(64).meta({ description: 'equipment type id from GET /v1/catalog/equipment' }),
    quantity: z.number().int().min(1).max(10_000).default(1),
    rated_power_kw: quantity('active_power', { gt: 0, max: 100_000 }).optional(),
    rated_apparent_power_kva: quantity('apparent_power', { gt: 0, max: 100_000 }).optional(),
    duty_cycle: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .meta({ description: 'nameplate duty ratio JC as a fraction (0.4 = 40 %)' }),
    power_factor: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .meta({ description: 'cos φ; overrides the catalogue/group value for this item' }),
    tan_phi: z.number().min(0).max(10).optional(),
    demand_factor: z.number().gt(0).max(1).optional().meta({ description: 'Kx override for this item' }),
    group: z.string().min(1).max(64).optional().meta({ description: 'explicit calculation group name' }),
    phase_connection: z.enum(['three_phase', 'line_to_line', 'line_to_neutral']).optional(),
    phase: z.enum(['L1', 'L2', 'L3', 'L1-L2', 'L2-L3', 'L3-L1']).optional(),
    label: z.string().max(200).optional(),
    note: z.string().max(500).optional(),
  })
  .meta({ id: 'EquipmentItem' });

export type EquipmentItemWire = z.output<typeof EquipmentItem>;
