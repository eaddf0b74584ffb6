import { riskStoreContract } from '../risk-store-contract.js';
import { openSqliteRiskStore } from './sqlite-risk-store.js';

riskStoreContract('sqlite risk store', async () => openSqliteRiskStore({ memory: true }));
