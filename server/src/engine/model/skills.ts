/** The four skills the advice is grouped in; every rule belongs to exactly one. */
export const SKILLS = {
  'database-optimizer': 'Database optimizer',
  'api-designer': 'API designer',
  'microservices-architect': 'Microservices architect',
  'nestjs-expert': 'NestJS expert',
} as const;

export type SkillId = keyof typeof SKILLS;
