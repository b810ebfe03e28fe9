import { DataTypes, Model, Sequelize, type BelongsToGetAssociationMixin, type CreationOptional, type InferAttributes, type InferCreationAttributes } from 'sequelize';

export const sequelize = new Sequelize(process.env.DATABASE_URL ?? 'postgres://localhost/reviews');

export class Reviewer extends Model<InferAttributes<Reviewer>, InferCreationAttributes<Reviewer>> {
  declare id: CreationOptional<number>;
  declare displayName: string;
}

export class Review extends Model<InferAttributes<Review>, InferCreationAttributes<Review>> {
  declare id: CreationOptional<number>;
  declare productId: string;
  declare reviewerId: number;
  declare stars: number;
  declare body: string;
  declare getReviewer: BelongsToGetAssociationMixin<Reviewer>;
}

Reviewer.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, displayName: DataTypes.STRING }, { sequelize });
Review.init(
  {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    productId: DataTypes.STRING,
    reviewerId: DataTypes.INTEGER,
    stars: DataTypes.INTEGER,
    body: DataTypes.TEXT,
  },
  { sequelize },
);
Review.belongsTo(Reviewer, { as: 'reviewer', foreignKey: 'reviewerId' });
